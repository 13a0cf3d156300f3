package io.tollgate.policy.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * How a node's member joins the cluster.
 *
 * @param bind the only address the member listens on (the cluster network; never a wildcard, never runner-facing)
 * @param port its TCP port (no auto-increment)
 * @param members the peers to join over TCP/IP (may include this node itself); none means a single node
 * @param backupCount synchronous backups of every shared map entry, so losing that many nodes loses nothing
 * @param aws peers found through the EC2 API instead of {@code members} (which must then be empty), or null
 */
public record ClusterSettings(InetAddress bind, int port, List<InetSocketAddress> members, int backupCount,
        AwsDiscovery aws) {
    public static final int DEFAULT_BACKUP_COUNT = 1;

    public ClusterSettings {
        members = List.copyOf(members);
        if (aws != null && !members.isEmpty()) {
            throw new IllegalArgumentException("a member list and AWS discovery exclude each other");
        }
    }

    /** Peers from a fixed member list (none: a single node). */
    public ClusterSettings(InetAddress bind, int port, List<InetSocketAddress> members, int backupCount) {
        this(bind, port, members, backupCount, null);
    }

    /** A single member with no peers on {@code bind:port}. */
    public static ClusterSettings singleNode(InetAddress bind, int port) {
        return new ClusterSettings(bind, port, List.of(), DEFAULT_BACKUP_COUNT);
    }
}

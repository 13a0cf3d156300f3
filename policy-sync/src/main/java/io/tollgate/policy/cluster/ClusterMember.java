package io.tollgate.policy.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;

/**
 * The node's embedded Hazelcast member. Zero configuration gives a single member with no peers: no multicast, no
 * auto-detection, no TCP/IP join, bound to one address only (never the wildcard, so runners cannot reach it), its own
 * logging through slf4j and no phone-home. The gateway stops it itself, so Hazelcast's shutdown hook is off.
 */
public final class ClusterMember implements AutoCloseable {
    public static final String CLUSTER_NAME = "tollgate";

    private final HazelcastInstance hazelcast;

    private ClusterMember(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /** Starts a member listening on {@code bind:port} only. */
    public static ClusterMember start(InetAddress bind, int port) throws ClusterException {
        Config config = new Config().setClusterName(CLUSTER_NAME).setInstanceName("tollgate-" + bind.getHostAddress()
                + "-" + port + "-" + ProcessHandle.current().pid());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig network = config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind.getHostAddress());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        config.getJetConfig().setEnabled(false);
        try {
            return new ClusterMember(Hazelcast.newHazelcastInstance(config));
        } catch (RuntimeException e) {
            throw new ClusterException("the cluster member cannot start on " + bind.getHostAddress() + ":" + port + ": "
                    + e.getMessage() + " (check cluster.bind and cluster.port)", e);
        }
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    @Override
    public void close() {
        hazelcast.shutdown();
    }
}

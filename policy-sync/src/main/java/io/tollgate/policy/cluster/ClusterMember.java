package io.tollgate.policy.cluster;

import com.hazelcast.config.AwsConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The node's embedded Hazelcast member. Zero configuration gives a single member with no peers; with a member list it
 * joins its peers over TCP/IP. Never multicast or auto-detection, bound to one address only (never the wildcard, so
 * runners cannot reach it), its own logging through slf4j and no phone-home. Every shared map keeps
 * {@link ClusterSettings#backupCount()} synchronous backups on other members. The gateway stops the member itself,
 * so Hazelcast's shutdown hook is off.
 */
public final class ClusterMember implements AutoCloseable {
    public static final String CLUSTER_NAME = "tollgate";
    /** The shared maps of DESIGN.md that must survive the loss of a node. */
    public static final List<String> BACKED_UP_MAPS = List.of("tollgate.jobs", "tollgate.bindings",
            "tollgate.policies", "tollgate.ioc", "tollgate.attribution");
    /** How long a joining member tries to reach a listed peer before it starts (or goes on) without it. */
    private static final int PEER_CONNECT_TIMEOUT_SECONDS = 2;

    private final HazelcastInstance hazelcast;

    private ClusterMember(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /** Starts a single member with no peers listening on {@code bind:port} only. */
    public static ClusterMember start(InetAddress bind, int port) throws ClusterException {
        return start(ClusterSettings.singleNode(bind, port));
    }

    /** Starts a member listening on {@code settings.bind():port} only, joining the listed (or discovered) peers. */
    public static ClusterMember start(ClusterSettings settings) throws ClusterException {
        try {
            return new ClusterMember(Hazelcast.newHazelcastInstance(config(settings)));
        } catch (RuntimeException e) {
            throw new ClusterException("the cluster member cannot start on " + settings.bind().getHostAddress() + ":"
                    + settings.port() + ": " + e.getMessage()
                    + " (check cluster.bind, cluster.port, cluster.members and cluster.aws)", e);
        }
    }

    /** The member's Hazelcast configuration. */
    static Config config(ClusterSettings settings) {
        InetAddress bind = settings.bind();
        int port = settings.port();
        Config config = new Config().setClusterName(CLUSTER_NAME).setInstanceName("tollgate-" + bind.getHostAddress()
                + "-" + port + "-" + ProcessHandle.current().pid());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // Hazelcast's own metrics are for its Management Center, which Tollgate does not use (the gateway exports its own
        // through Micrometer). Collecting and compressing them every 5 s took ~8% of a gateway's CPU under h2load.
        config.getMetricsConfig().setEnabled(false);
        NetworkConfig network = config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind.getHostAddress());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(!settings.members().isEmpty())
                .setConnectionTimeoutSeconds(PEER_CONNECT_TIMEOUT_SECONDS);
        for (InetSocketAddress member : settings.members()) {
            String host = member.getAddress().getHostAddress();
            join.getTcpIpConfig().addMember((host.contains(":") ? "[" + host + "]" : host) + ":" + member.getPort());
        }
        if (settings.aws() != null) {
            AwsConfig aws = join.getAwsConfig().setEnabled(true);
            settings.aws().properties(port).forEach(aws::setProperty);
        }
        for (String map : BACKED_UP_MAPS) {
            config.addMapConfig(new MapConfig(map).setBackupCount(settings.backupCount()).setAsyncBackupCount(0));
        }
        config.getJetConfig().setEnabled(false);
        return config;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    @Override
    public void close() {
        hazelcast.shutdown();
    }
}

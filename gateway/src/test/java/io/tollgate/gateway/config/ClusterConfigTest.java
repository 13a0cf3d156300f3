package io.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cluster:} settings: the member list for TCP/IP join, backups, and where the member may listen. */
class ClusterConfigTest {
    @Test
    void noMembersMeansASingleNodeWithOneBackup() throws Exception {
        GatewayConfig.Cluster cluster = ConfigLoader.parse("c.yaml", "").cluster();
        assertThat(cluster.members()).isEmpty();
        assertThat(cluster.backupCount()).isEqualTo(1);
        assertThat(cluster.bindingWait()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theBindingWaitIsBoundedOnBothSides() throws Exception {
        assertThat(ConfigLoader.parse("c.yaml", "cluster: {binding-wait: 80ms}").cluster().bindingWait())
                .isEqualTo(Duration.ofMillis(80));
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster:\n  binding-wait: 1m"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml line 2: cluster.binding-wait: 1m is not between 10ms and 5s");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster: {binding-wait: soon}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.binding-wait");
    }

    @Test
    void membersTakeTheClusterPortUnlessTheyNameTheirOwn() throws Exception {
        GatewayConfig.Cluster cluster = ConfigLoader.parse("c.yaml", """
                cluster:
                  bind: 10.30.0.1
                  port: 5801
                  members: [10.30.0.1, 10.30.0.2:5901, "[fd30::3]:5701"]
                  backup-count: 2
                """).cluster();
        assertThat(cluster.members()).containsExactly(
                new InetSocketAddress(InetAddress.getByName("10.30.0.1"), 5801),
                new InetSocketAddress(InetAddress.getByName("10.30.0.2"), 5901),
                new InetSocketAddress(InetAddress.getByName("fd30::3"), 5701));
        assertThat(cluster.backupCount()).isEqualTo(2);
    }

    @Test
    void aMemberThatIsNotAnAddressIsRefusedWithItsLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", """
                gateway:
                  node-name: a
                cluster:
                  bind: 10.30.0.1
                  members:
                    - 10.30.0.2
                    - gw-b.internal
                """)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml line 7: cluster.members: 'gw-b.internal' is not an IP address");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster:\n  bind: 10.30.0.1\n  members: [10.30.0.2:99999]"))
                .hasMessageStartingWith("c.yaml line 3: cluster.members: '10.30.0.2:99999' has a bad port");
    }

    @Test
    void wildcardsDuplicatesAndRunnerFacingMembersAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster: {bind: 10.30.0.1, members: [0.0.0.0]}"))
                .hasMessageContaining("cluster.members: '0.0.0.0' is not one node's address");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml",
                "cluster: {bind: 10.30.0.1, members: [10.30.0.2, '10.30.0.2:5701']}"))
                .hasMessageContaining("'10.30.0.2:5701' is listed twice");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml",
                "gateway: {api: {runner-bind: [10.10.0.1]}}\ncluster: {bind: 10.30.0.1, members: [10.10.0.1]}"))
                .hasMessageContaining("c.yaml line 2: cluster.members: '10.10.0.1' is a runner-facing address");
    }

    @Test
    void theMemberMayNotListenOnAWildcardOrOnlyOnLoopbackWhenPeersAreElsewhere() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster:\n  bind: 0.0.0.0"))
                .hasMessageStartingWith("c.yaml line 2: cluster.bind: '0.0.0.0' is not a specific IP address");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster: {members: [10.30.0.2]}"))
                .hasMessageContaining("cluster.bind is 127.0.0.1 (loopback), so peer 10.30.0.2 cannot reach this node");
    }

    @Test
    void awsDiscoveryNeedsATagOrSecurityGroupAndNoMemberList() throws Exception {
        GatewayConfig.Cluster cluster = ConfigLoader.parse("c.yaml", """
                cluster:
                  bind: 10.30.0.1
                  aws: {region: eu-west-1, tag-key: tollgate-cluster, tag-value: prod}
                """).cluster();
        assertThat(cluster.aws()).isEqualTo(new io.tollgate.policy.cluster.AwsDiscovery("eu-west-1",
                "tollgate-cluster", "prod", null, null));
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster:\n  bind: 10.30.0.1\n  aws: {region: eu-west-1}"))
                .hasMessageStartingWith("c.yaml line 3: cluster.aws needs tag-key/tag-value or security-group-name");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster:\n  bind: 10.30.0.1\n  aws: {tag-key: k}"))
                .hasMessageContaining("needs tag-key and tag-value together");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml",
                "cluster:\n  bind: 10.30.0.1\n  members: [10.30.0.2]\n  aws: {security-group-name: gw}"))
                .hasMessageStartingWith("c.yaml line 4: cluster.aws and cluster.members exclude each other");
    }

    @Test
    void backupCountStaysWithinWhatHazelcastKeeps() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster:\n  backup-count: 7"))
                .hasMessageStartingWith("c.yaml line 2: cluster.backup-count: 7 is not between 0 and 6");
    }
}

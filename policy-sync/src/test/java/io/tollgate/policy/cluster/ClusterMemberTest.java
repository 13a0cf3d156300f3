package io.tollgate.policy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.hazelcast.map.IMap;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Members on loopback that join by their member list, and shared maps that outlive a crashed member. */
class ClusterMemberTest {
    @Test
    void membersJoinByTheirListAndAnEntryOutlivesTheMemberThatOwnedIt() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int portA = FreePort.onLoopback();
        int portB = FreePort.onLoopback();
        while (portB == portA) {
            portB = FreePort.onLoopback();
        }
        List<InetSocketAddress> members = List.of(new InetSocketAddress(loopback, portA),
                new InetSocketAddress(loopback, portB));
        try (ClusterMember a = ClusterMember.start(new ClusterSettings(loopback, portA, members, 1));
                ClusterMember b = ClusterMember.start(new ClusterSettings(loopback, portB, members, 1))) {
            assertThat(a.hazelcast().getCluster().getMembers()).hasSize(2);
            assertThat(b.hazelcast().getCluster().getMembers()).hasSize(2);
            for (String name : ClusterMember.BACKED_UP_MAPS) {
                assertThat(a.hazelcast().getConfig().getMapConfig(name).getBackupCount()).as(name).isEqualTo(1);
            }

            IMap<String, String> onA = a.hazelcast().getMap("tollgate.jobs");
            for (int i = 0; i < 100; i++) {
                onA.put("10.10.0." + i, "job-" + i);
            }
            // A crash, not a graceful leave: nothing is migrated away first.
            a.hazelcast().getLifecycleService().terminate();

            IMap<String, String> onB = b.hazelcast().getMap("tollgate.jobs");
            assertThat(onB.size()).isEqualTo(100);
            assertThat(onB.get("10.10.0.42")).isEqualTo("job-42");
        }
    }

    @Test
    void awsDiscoveryReplacesTheMemberListWithTheEc2TagAndTheClusterPort() throws Exception {
        InetAddress bind = InetAddress.getByName("10.30.0.1");
        var config = ClusterMember.config(new ClusterSettings(bind, 5801, List.of(), 1,
                new AwsDiscovery("eu-west-1", "tollgate-cluster", "prod", null, null)));
        var join = config.getNetworkConfig().getJoin();

        assertThat(join.getAwsConfig().isEnabled()).isTrue();
        assertThat(join.getAwsConfig().getProperties()).containsOnly(entry("region", "eu-west-1"),
                entry("tag-key", "tollgate-cluster"), entry("tag-value", "prod"), entry("hz-port", "5801"));
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.30.0.1");
        assertThatThrownBy(() -> new ClusterSettings(bind, 5801,
                List.of(new InetSocketAddress(bind, 5801)), 1, new AwsDiscovery("eu-west-1", "k", "v", null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSingleNodeHasNoPeersAndNoTcpIpJoin() throws Exception {
        try (ClusterMember single = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback())) {
            assertThat(single.hazelcast().getConfig().getNetworkConfig().getJoin().getTcpIpConfig().isEnabled())
                    .isFalse();
            assertThat(single.hazelcast().getCluster().getMembers()).hasSize(1);
        }
    }
}

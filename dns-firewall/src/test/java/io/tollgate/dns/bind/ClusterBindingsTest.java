package io.tollgate.dns.bind;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.cluster.ClusterSettings;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes' binding tables sharing through a real two-member cluster on loopback. */
class ClusterBindingsTest {
    private static final InetAddress RUNNER = ip("10.10.0.5");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final BindingLimits SHORT = new BindingLimits(Duration.ZERO, Duration.ofSeconds(1),
            Duration.ofHours(1), 64, 10_000);
    private static ClusterMember memberA;
    private static ClusterMember memberB;
    private static DnsBindingTable nodeA;
    private static DnsBindingTable nodeB;

    @BeforeAll
    static void start() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int portA = FreePort.onLoopback();
        int portB = FreePort.onLoopback();
        while (portB == portA) {
            portB = FreePort.onLoopback();
        }
        List<InetSocketAddress> members = List.of(new InetSocketAddress(loopback, portA),
                new InetSocketAddress(loopback, portB));
        memberA = ClusterMember.start(new ClusterSettings(loopback, portA, members, 1));
        memberB = ClusterMember.start(new ClusterSettings(loopback, portB, members, 1));
        nodeA = new DnsBindingTable(Clock.systemUTC(), BindingLimits.defaults(),
                new ClusterBindings(memberA.hazelcast(), TIMEOUT, TIMEOUT));
        nodeB = new DnsBindingTable(Clock.systemUTC(), BindingLimits.defaults(),
                new ClusterBindings(memberB.hazelcast(), TIMEOUT, TIMEOUT));
    }

    @AfterAll
    static void stop() {
        if (memberB != null) {
            memberB.close();
        }
        if (memberA != null) {
            memberA.close();
        }
    }

    @Test
    void aBindingMadeOnOneNodeIsFoundOnTheOtherOnceItsAnswerMayBeSentAndThenKeptLocally() {
        InetAddress github = ip("140.82.112.3");
        nodeA.bind(RUNNER, "GitHub.com.", github, 60).toCompletableFuture().join();

        assertThat(nodeB.namesFor(RUNNER, github)).as("not yet known locally").isEmpty();
        assertThat(nodeB.lookup(RUNNER, github, null).toCompletableFuture().join()).containsExactly("github.com");
        assertThat(nodeB.namesFor(RUNNER, github)).as("kept locally after the look-up").containsExactly("github.com");
        assertThat(nodeB.lookup(RUNNER, ip("140.82.112.4"), null).toCompletableFuture().join()).isEmpty();
        assertThat(nodeB.lookup(ip("10.10.0.6"), github, null).toCompletableFuture().join())
                .as("another runner's binding").isEmpty();
    }

    @Test
    void namesTwoNodesBoundToOneAddressAreMergedNotOverwritten() {
        InetAddress cdn = ip("151.101.1.1");
        nodeA.bind(RUNNER, "a.example.org", cdn, 60).toCompletableFuture().join();
        nodeB.bind(RUNNER, "b.example.org", cdn, 60).toCompletableFuture().join();

        assertThat(nodeA.lookup(RUNNER, cdn, "b.example.org").toCompletableFuture().join())
                .containsExactlyInAnyOrder("a.example.org", "b.example.org");
        IMap<String, Map<String, Long>> shared = memberB.hazelcast().getMap(ClusterBindings.MAP);
        assertThat(shared.get(ClusterBindings.key(RUNNER, cdn))).containsOnlyKeys("a.example.org", "b.example.org");
    }

    @Test
    void anEntryLeavesTheMapWhenItsLastNameExpires() throws Exception {
        DnsBindingTable shortLived = new DnsBindingTable(Clock.systemUTC(), SHORT,
                new ClusterBindings(memberA.hazelcast(), TIMEOUT, TIMEOUT));
        InetAddress address = ip("192.0.2.44");
        shortLived.bind(RUNNER, "short.example.org", address, 1).toCompletableFuture().join();
        IMap<String, Map<String, Long>> shared = memberB.hazelcast().getMap(ClusterBindings.MAP);
        assertThat(shared.containsKey(ClusterBindings.key(RUNNER, address))).isTrue();

        Thread.sleep(3_000); // 1 s, plus up to 2 s because Hazelcast counts an entry's TTL in whole seconds
        assertThat(shared.containsKey(ClusterBindings.key(RUNNER, address))).isFalse();
        assertThat(nodeB.lookup(RUNNER, address, null).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void aStoppedMemberFindsNothingAndNeverFailsTheCaller() throws Exception {
        int port = FreePort.onLoopback();
        ClusterMember alone = ClusterMember.start(InetAddress.getLoopbackAddress(), port);
        ClusterBindings replica = new ClusterBindings(alone.hazelcast(), TIMEOUT, TIMEOUT);
        alone.close();

        assertThat(replica.share(RUNNER, "github.com", ip("140.82.112.3"), System.currentTimeMillis() + 60_000)
                .toCompletableFuture().join()).isNull();
        assertThat(replica.lookup(RUNNER, ip("140.82.112.3")).toCompletableFuture().join()).isEmpty();
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.cluster.ClusterSettings;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real Hazelcast members on loopback, each publishing its node's events through a {@link ClusterEventSink}: either
 * member reads the whole fleet's events from {@code tollgate.events}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterEventStreamTest {
    private static final int CAPACITY = 1_000;
    private static ClusterMember first;
    private static ClusterMember second;

    @BeforeAll
    static void start() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int firstPort = FreePort.onLoopback();
        int secondPort = FreePort.onLoopback();
        List<InetSocketAddress> members = List.of(new InetSocketAddress(loopback, firstPort),
                new InetSocketAddress(loopback, secondPort));
        first = ClusterMember.start(new ClusterSettings(loopback, firstPort, members, 1));
        second = ClusterMember.start(new ClusterSettings(loopback, secondPort, members, 1));
        for (int i = 0; i < 200 && second.hazelcast().getCluster().getMembers().size() < 2; i++) {
            Thread.sleep(50);
        }
        assertThat(second.hazelcast().getCluster().getMembers()).hasSize(2);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void eitherMemberReadsEveryNodesEvents() throws Exception {
        Ringbuffer<String> onFirst = ClusterEventStream.open(first.hazelcast(), CAPACITY);
        Ringbuffer<String> onSecond = ClusterEventStream.open(second.hazelcast(), CAPACITY);
        try (ClusterEventSink gw1 = new ClusterEventSink(onFirst); ClusterEventSink gw2 = new ClusterEventSink(onSecond)) {
            gw1.record(event("gw-1", "a.example"));
            gw2.record(event("gw-2", "b.example"));
            gw1.record(event("gw-1", "c.example"));
        }
        for (Ringbuffer<String> stream : List.of(onFirst, onSecond)) {
            ReadResultSet<String> held = stream.readManyAsync(stream.headSequence(), 3, CAPACITY, null)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> nodesAndNames = new ArrayList<>();
            for (String line : held) {
                Event e = EventJson.fromLine(line);
                nodesAndNames.add(e.node() + " " + e.sni());
            }
            assertThat(nodesAndNames).containsExactlyInAnyOrder("gw-1 a.example", "gw-2 b.example", "gw-1 c.example");
            assertThat(nodesAndNames.indexOf("gw-1 a.example")).isLessThan(nodesAndNames.indexOf("gw-1 c.example"));
        }
    }

    @Test
    void aMemberConfiguredWithAnotherCapacityIsToldToAlignIt() {
        ClusterEventStream.open(first.hazelcast(), CAPACITY);
        assertThatThrownBy(() -> ClusterEventStream.open(second.hazelcast(), CAPACITY * 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set the same gateway.events.cluster-capacity on every node");
    }

    private static Event event(String node, String sni) {
        return new Event("2026-11-23T14:00:00.000000Z", node, "tcp", "allow", "allowlisted", null, "10.10.0.5",
                "198.51.100.7:443", sni, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}

package io.tollgate.gateway.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.events.Event;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The join of TCP events with attributions, through a real single-node cluster map and its entry listener. */
class ProcessJoinTest {
    private static final AttributedProcess CURL =
            new AttributedProcess(77, 70, "/usr/bin/curl", List.of("curl", "https://x"), "bash step.sh");
    private static ClusterMember cluster;
    private static AttributionStore store;
    private static AttributionView view;

    private final List<Event> recorded = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        store = new AttributionStore(cluster.hazelcast(), Duration.ofMinutes(1));
        view = AttributionView.follow(cluster.hazelcast());
        // The runner 10.10.0.2 has an agent: an earlier connection of it was attributed.
        store.putAll(Map.of("tcp 10.10.0.2 40999 10.20.0.9 443", CURL)).get();
        waitFor(() -> view.hasAgent("tcp 10.10.0.2 1 10.20.0.9 443"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAttributionThatArrivedFirstIsJoinedAtOnce() throws Exception {
        store.putAll(Map.of("tcp 10.10.0.2 41000 10.20.0.9 443", CURL)).get();
        waitFor(() -> view.get("tcp 10.10.0.2 41000 10.20.0.9 443") != null);
        try (ProcessJoin join = join(Duration.ofSeconds(5))) {
            join.record(tcpEvent(), "tcp 10.10.0.2 41000 10.20.0.9 443");
            assertThat(recorded).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo("tcp");
                assertThat(e.process()).isEqualTo(CURL.toEvent());
            });
        }
    }

    @Test
    void anAttributionArrivingWithinTheWaitIsJoined() throws Exception {
        try (ProcessJoin join = join(Duration.ofSeconds(5))) {
            join.record(tcpEvent(), "tcp 10.10.0.2 41001 10.20.0.9 443");
            assertThat(recorded).isEmpty();
            store.putAll(Map.of("tcp 10.10.0.2 41001 10.20.0.9 443", CURL)).get();
            waitFor(() -> recorded.size() == 1);
            assertThat(recorded.getFirst().process()).isEqualTo(CURL.toEvent());
        }
    }

    @Test
    void aLateAttributionFollowsAsAProcessEvent() throws Exception {
        try (ProcessJoin join = join(Duration.ofMillis(50))) {
            join.record(tcpEvent(), "tcp 10.10.0.2 41002 10.20.0.9 443");
            waitFor(() -> recorded.size() == 1);
            assertThat(recorded.getFirst().process()).isNull();
            store.putAll(Map.of("tcp 10.10.0.2 41002 10.20.0.9 443", CURL)).get();
            waitFor(() -> recorded.size() == 2);
            Event late = recorded.get(1);
            assertThat(late.kind()).isEqualTo(ProcessJoin.LATE_KIND);
            assertThat(late.process()).isEqualTo(CURL.toEvent());
            assertThat(late.dst()).isEqualTo("10.20.0.9:443");
            assertThat(late.verdict()).isEqualTo("allow");
        }
    }

    @Test
    void aRunnerWithoutAnAgentIsRecordedAtOnce() throws Exception {
        try (ProcessJoin join = join(Duration.ofSeconds(5))) {
            join.record(tcpEvent(), "tcp 10.10.0.3 41003 10.20.0.9 443");
            assertThat(recorded).singleElement().satisfies(e -> assertThat(e.process()).isNull());
            assertThat(view.waiters()).isZero();
        }
    }

    @Test
    void aDnsQueryIsJoinedWithTheUdpFlowOfItsSourcePort() throws Exception {
        AttributedProcess dig = new AttributedProcess(88, 70, "/usr/bin/dig", List.of("dig", "example.com"), null);
        try (ProcessJoin join = join(Duration.ofSeconds(5))) {
            // the dns-firewall knows the query's source address and port, not the resolver the runner asked
            join.record(dnsEvent(), ConnectionKey.udpSource(InetAddress.getByName("10.10.0.2"), 53111));
            assertThat(recorded).isEmpty();
            store.putAll(Map.of("udp 10.10.0.2 53111 10.10.0.1 53", dig)).get();
            waitFor(() -> recorded.size() == 1);
            assertThat(recorded.getFirst().kind()).isEqualTo("dns");
            assertThat(recorded.getFirst().process()).isEqualTo(dig.toEvent());
            // a TCP connection from the same port is another flow
            assertThat(view.get("tcp 10.10.0.2 53111")).isNull();
        }
    }

    private static Event dnsEvent() {
        return new Event("2026-11-23T00:00:00.000000Z", "node-a", "dns", "allow", "allowlisted", null, "10.10.0.2",
                null, null, null, "example.com", "A", null, null, null, null, null, null, null, null, null, null);
    }

    private ProcessJoin join(Duration wait) {
        return new ProcessJoin(view, recorded::add, wait, Duration.ofSeconds(30), Clock.systemUTC());
    }

    private static Event tcpEvent() {
        return new Event("2026-11-23T00:00:00.000000Z", "node-a", "tcp", "allow", "allowlisted", null, "10.10.0.2",
                "10.20.0.9:443", "example.com", null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 250 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition within 5 s").isTrue();
    }
}

package io.tollgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.decide.DnsReason;
import io.tollgate.dns.decide.DnsVerdict;
import io.tollgate.gateway.decide.Reason;
import io.tollgate.gateway.decide.Verdict;
import io.tollgate.gateway.events.ClusterEventSink;
import io.tollgate.gateway.events.ClusterEventStream;
import io.tollgate.gateway.events.EventFile;
import io.tollgate.gateway.relay.splice.SpliceRelay;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayMetricsTest {
    private final GatewayMetrics metrics = new GatewayMetrics();

    @Test
    void connectionsAreCountedByVerdictAndReasonUnderTheirPrometheusNames() {
        metrics.connectionDecided(Verdict.ALLOW, Reason.ALLOWLISTED, TimeUnit.MICROSECONDS.toNanos(300));
        metrics.connectionDecided(Verdict.BLOCK, Reason.SNI_IP_MISMATCH, TimeUnit.MILLISECONDS.toNanos(40));
        metrics.connectionDecided(Verdict.BLOCK, Reason.SNI_IP_MISMATCH, TimeUnit.MILLISECONDS.toNanos(40));
        String text = metrics.scrape();
        assertThat(text).contains("tollgate_connections_total{reason=\"allowlisted\",verdict=\"allow\"} 1.0\n")
                .contains("tollgate_connections_total{reason=\"sni-ip-mismatch\",verdict=\"block\"} 2.0\n");
        assertThat(text).contains("tollgate_decision_seconds_bucket{le=\"5.0E-4\"} 1\n")
                .contains("tollgate_decision_seconds_bucket{le=\"0.05\"} 3\n")
                .contains("tollgate_decision_seconds_count 3\n");
    }

    @Test
    void everyVerdictAndReasonIsExportedFromZeroBeforeItHappens() {
        String text = metrics.scrape();
        for (Verdict verdict : Verdict.values()) {
            for (Reason reason : Reason.values()) {
                assertThat(text).contains("tollgate_connections_total{reason=\"" + reason.wire() + "\",verdict=\""
                        + verdict.wire() + "\"} 0.0\n");
            }
        }
        assertThat(text).contains("tollgate_dns_queries_total{reason=\"dns-exfil\",verdict=\"would-block\"} 0.0\n");
    }

    @Test
    void dnsQueriesAreCountedByVerdictAndReasonIncludingReasonsAddedLater() {
        metrics.dnsQueryAnswered(DnsVerdict.BLOCK, DnsReason.NOT_ALLOWLISTED);
        metrics.dnsQueryAnswered(DnsVerdict.ALLOW, DnsReason.ALLOWLISTED);
        metrics.dnsQueryAnswered(DnsVerdict.BLOCK, "some-future-reason");
        assertThat(metrics.scrape())
                .contains("tollgate_dns_queries_total{reason=\"not-allowlisted\",verdict=\"block\"} 1.0\n")
                .contains("tollgate_dns_queries_total{reason=\"allowlisted\",verdict=\"allow\"} 1.0\n")
                .contains("tollgate_dns_queries_total{reason=\"some-future-reason\",verdict=\"block\"} 1.0\n");
    }

    @Test
    void relayedBytesAreCountedPerDirection() {
        metrics.finished(100, 5_000);
        metrics.finished(20, 0);
        assertThat(metrics.scrape()).contains("tollgate_relayed_bytes_total{direction=\"up\"} 120.0\n")
                .contains("tollgate_relayed_bytes_total{direction=\"down\"} 5000.0\n");
    }

    @Test
    void eachLoadedPolicyIsAnInfoSeriesWithItsVersion() throws Exception {
        var compiler = new PolicyCompiler(EndpointSets.defaults());
        var policy = compiler.compile(new PolicySpec("ci", List.of("10.10.0.0/24"), "block", "github.com:443", List.of()));
        metrics.policiesLoaded(List.of(policy));
        assertThat(metrics.scrape())
                .contains("tollgate_policy_info{policy=\"ci\",version=\"" + policy.version() + "\"} 1\n");
    }

    @Test
    void aPolicyChangeAtRunTimeReplacesTheOldVersionsSeries() throws Exception {
        var compiler = new PolicyCompiler(EndpointSets.defaults());
        var v1 = compiler.compile(new PolicySpec("ci", List.of("10.10.0.0/24"), "block", "github.com:443", List.of()));
        var v2 = compiler.compile(new PolicySpec("ci", List.of("10.10.0.0/24"), "block", "github.com:443 npmjs.org",
                List.of()));
        var other = compiler.compile(new PolicySpec("nightly", List.of("10.20.0.0/24"), "audit", "", List.of()));
        metrics.policiesLoaded(List.of(v1, other));
        metrics.policiesLoaded(List.of(v2));
        assertThat(v2.version()).isNotEqualTo(v1.version());
        assertThat(metrics.scrape())
                .contains("tollgate_policy_info{policy=\"ci\",version=\"" + v2.version() + "\"} 1\n")
                .doesNotContain("version=\"" + v1.version() + "\"").doesNotContain("nightly");
    }

    @Test
    void clusterMembersAndStreamDropsAreReadAtScrapeTime() throws Exception {
        try (ClusterMember member = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
                ClusterEventSink sink = new ClusterEventSink(ClusterEventStream.open(member.hazelcast(), 100))) {
            metrics.watchCluster(member.hazelcast());
            metrics.watchClusterEvents(sink);
            assertThat(metrics.scrape()).contains("tollgate_cluster_members 1.0\n")
                    .contains("tollgate_events_stream_dropped_total 0.0\n");
        }
    }

    @Test
    void activeConnectionsAndDroppedEventsAreReadAtScrapeTime(@TempDir Path dir) throws Exception {
        try (EventFile events = EventFile.open(dir.resolve("e.jsonl"), 1 << 20, 1)) {
            metrics.watchRelay(new SpliceRelay(Duration.ofSeconds(1), metrics));
            metrics.watchEventFile(events);
            assertThat(metrics.scrape()).contains("tollgate_connections_active 0.0\n")
                    .contains("tollgate_events_dropped_total 0.0\n");
        }
    }
}

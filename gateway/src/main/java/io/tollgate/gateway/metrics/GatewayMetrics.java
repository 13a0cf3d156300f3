package io.tollgate.gateway.metrics;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.dns.decide.DnsReason;
import io.tollgate.dns.decide.DnsVerdict;
import io.tollgate.gateway.decide.Reason;
import io.tollgate.gateway.decide.Verdict;
import io.tollgate.gateway.events.ClusterEventSink;
import io.tollgate.gateway.events.EventFile;
import io.tollgate.gateway.relay.splice.RelayedBytes;
import io.tollgate.gateway.relay.splice.SpliceRelay;
import io.tollgate.policy.CompiledPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's Prometheus metrics and the one place their names are written. Recording is lock-free and allocates
 * nothing: every verdict × reason counter is registered up front and picked by index on the data path.
 */
public final class GatewayMetrics implements RelayedBytes {
    static final String CONNECTIONS = "tollgate.connections";
    static final String DNS_QUERIES = "tollgate.dns.queries";
    static final String DECISION = "tollgate.decision";
    static final String CONNECTIONS_ACTIVE = "tollgate.connections.active";
    static final String RELAYED_BYTES = "tollgate.relayed.bytes";
    static final String POLICY_INFO = "tollgate.policy.info";
    static final String EVENTS_DROPPED = "tollgate.events.dropped";
    static final String STREAM_DROPPED = "tollgate.events.stream.dropped";
    static final String CLUSTER_MEMBERS = "tollgate.cluster.members";

    private static final List<String> DNS_REASONS = List.of(DnsReason.ALLOWLISTED, DnsReason.NOT_ALLOWLISTED,
            DnsReason.IOC, DnsReason.DNS_EXFIL, DnsReason.NO_POLICY, DnsReason.RATE_LIMIT, DnsReason.SINGLE_LABEL,
            DnsReason.ERROR);
    /** Bucket bounds of the decision histogram: sub-millisecond local decisions up to the gateway's own DNS lookups. */
    private static final Duration[] DECISION_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Gauge> policyInfo = new ArrayList<>();
    private final Counter[][] connections = new Counter[Verdict.values().length][Reason.values().length];
    private final Map<String, Counter[]> dnsQueriesByReason = new ConcurrentHashMap<>();
    private final Timer decision;
    private final Counter bytesUp;
    private final Counter bytesDown;

    public GatewayMetrics() {
        for (Verdict verdict : Verdict.values()) {
            for (Reason reason : Reason.values()) {
                connections[verdict.ordinal()][reason.ordinal()] = Counter.builder(CONNECTIONS)
                        .description("TCP connections decided, by verdict and reason")
                        .tag("verdict", verdict.wire()).tag("reason", reason.wire()).register(registry);
            }
        }
        DNS_REASONS.forEach(reason -> dnsQueriesByReason.put(reason, dnsCounters(reason)));
        decision = Timer.builder(DECISION)
                .description("From a connection's inspected first bytes to its verdict, the gateway's own DNS lookup included")
                .serviceLevelObjectives(DECISION_BUCKETS).register(registry);
        bytesUp = relayedBytes("up");
        bytesDown = relayedBytes("down");
    }

    /** Counts one decided connection and how long the decision took. */
    public void connectionDecided(Verdict verdict, Reason reason, long decisionNanos) {
        connections[verdict.ordinal()][reason.ordinal()].increment();
        decision.record(decisionNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one answered DNS query. */
    public void dnsQueryAnswered(DnsVerdict verdict, String reason) {
        Counter[] byVerdict = dnsQueriesByReason.get(reason);
        if (byVerdict == null) {
            byVerdict = dnsQueriesByReason.computeIfAbsent(reason, this::dnsCounters);
        }
        byVerdict[verdict.ordinal()].increment();
    }

    /** Counts the bytes of a connection the splice relay has finished, from the relay thread. */
    @Override
    public void finished(long up, long down) {
        bytesUp.increment(up);
        bytesDown.increment(down);
    }

    /** Reports the relayed connections open at each scrape. */
    public void watchRelay(SpliceRelay relay) {
        Gauge.builder(CONNECTIONS_ACTIVE, relay, SpliceRelay::size).strongReference(true)
                .description("Relayed connections open now").register(registry);
    }

    /** Reports the events the events file had to drop because the disk could not keep up. */
    public void watchEventFile(EventFile file) {
        FunctionCounter.builder(EVENTS_DROPPED, file, EventFile::dropped)
                .description("Events not written because the events file's queue was full").register(registry);
    }

    /** Reports the events the cluster's event stream lost (its queue full, or the cluster failing an append). */
    public void watchClusterEvents(ClusterEventSink sink) {
        FunctionCounter.builder(STREAM_DROPPED, sink, ClusterEventSink::dropped)
                .description("Events not appended to the cluster's event stream tollgate.events").register(registry);
    }

    /** Reports how many members the node's cluster has at each scrape (this node's view). */
    public void watchCluster(HazelcastInstance hazelcast) {
        Gauge.builder(CLUSTER_MEMBERS, hazelcast, h -> h.getCluster().getMembers().size()).strongReference(true)
                .description("Members of the gateway cluster as this node sees them").register(registry);
    }

    /** Replaces the policy info series with {@code policies}, the set this node enforces from now on. */
    public synchronized void policiesLoaded(List<CompiledPolicy> policies) {
        policyInfo.forEach(registry::remove);
        policyInfo.clear();
        for (CompiledPolicy policy : policies) {
            policyInfo.add(Gauge.builder(POLICY_INFO, () -> 1).description("The policies this node enforces")
                    .tag("policy", policy.name()).tag("version", policy.version()).register(registry));
        }
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter[] dnsCounters(String reason) {
        Counter[] byVerdict = new Counter[DnsVerdict.values().length];
        for (DnsVerdict verdict : DnsVerdict.values()) {
            byVerdict[verdict.ordinal()] = Counter.builder(DNS_QUERIES)
                    .description("Runner DNS queries answered, by verdict and reason")
                    .tag("verdict", verdict.wire()).tag("reason", reason).register(registry);
        }
        return byVerdict;
    }

    private Counter relayedBytes(String direction) {
        return Counter.builder(RELAYED_BYTES).baseUnit("bytes")
                .description("Bytes the splice relay moved, counted when a connection finishes; up = runner to upstream")
                .tag("direction", direction).register(registry);
    }
}

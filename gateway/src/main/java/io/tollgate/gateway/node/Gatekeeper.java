package io.tollgate.gateway.node;

import io.netty.buffer.ByteBuf;
import io.tollgate.gateway.accept.RunnerConnection;
import io.tollgate.gateway.attribution.ConnectionKey;
import io.tollgate.gateway.decide.ConnectionDecider;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Decision;
import io.tollgate.gateway.decide.DestinationNames;
import io.tollgate.gateway.decide.DnsEvidence;
import io.tollgate.gateway.events.ConnectionEvents;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.inspect.FactsConsumer;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.gateway.relay.splice.SpliceRelay;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.jobs.JobView;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Decides each inspected connection against the current policy snapshot, relays or resets it, then records it (with
 * the source's registered job, from the node's local {@link JobView}).
 */
public final class Gatekeeper implements FactsConsumer {
    private final String node;
    private final Supplier<PolicySnapshot> snapshot;
    private final DestinationNames dns;
    private final ConnectionEvents.Sink events;
    private final SpliceRelay relay;
    private final GatewayMetrics metrics;
    private final JobView jobs;
    private final Clock clock;

    public Gatekeeper(String node, Supplier<PolicySnapshot> snapshot, DestinationNames dns, ConnectionEvents.Sink events,
            SpliceRelay relay, GatewayMetrics metrics, JobView jobs, Clock clock) {
        this.node = node;
        this.snapshot = snapshot;
        this.dns = dns;
        this.events = events;
        this.relay = relay;
        this.metrics = metrics;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public void onFacts(RunnerConnection client, ConnectionFacts facts, ByteBuf firstBytes) {
        long started = System.nanoTime();
        CompletableFuture<Set<String>> lookup = dns.boundNames(facts.source(), facts.destinationIp(), facts.name())
                .toCompletableFuture();
        if (lookup.isDone()) {
            // The common case, this node's own bindings: decide without leaving the event loop.
            withBindings(client, facts, firstBytes, lookup.getNow(Set.of()), started);
        } else {
            lookup.whenComplete((bound, failure) -> client.loop().execute(() ->
                    withBindings(client, facts, firstBytes, failure == null ? bound : Set.of(), started)));
        }
    }

    private void withBindings(RunnerConnection client, ConnectionFacts facts, ByteBuf firstBytes, Set<String> bound,
            long started) {
        PolicySnapshot current = snapshot.get();
        Optional<CompiledPolicy> policy = current.policies().forSource(facts.source());
        if (needsOwnResolution(facts, bound, policy)) {
            CompletableFuture<Boolean> resolution = dns.resolvesTo(facts.name(), facts.destinationIp())
                    .toCompletableFuture();
            if (resolution.isDone()) {
                // A cached answer: decide now, on this event loop, instead of queueing a task behind other connections.
                decide(client, facts, firstBytes, current, policy, DnsEvidence.resolved(bound, resolvedTrue(resolution)),
                        started);
                return;
            }
            resolution.whenComplete((resolves, failure) ->
                    client.loop().execute(() -> decide(client, facts, firstBytes, current, policy,
                            DnsEvidence.resolved(bound, failure == null && Boolean.TRUE.equals(resolves)), started)));
        } else {
            decide(client, facts, firstBytes, current, policy, DnsEvidence.bound(bound), started);
        }
    }

    private static boolean resolvedTrue(CompletableFuture<Boolean> done) {
        return !done.isCompletedExceptionally() && Boolean.TRUE.equals(done.getNow(false));
    }

    /** Only an allowed name that the job's own DNS did not bind to this address needs the gateway to look it up. */
    private static boolean needsOwnResolution(ConnectionFacts facts, Set<String> bound,
            Optional<CompiledPolicy> policy) {
        return facts.name() != null && !bound.contains(facts.name())
                && policy.map(p -> p.matcher().allows(facts.name(), facts.port())).orElse(false);
    }

    /** The connection as the runner sees it (TPROXY keeps the runner's source and destination). */
    private static String connectionKey(RunnerConnection client, ConnectionFacts facts) {
        return ConnectionKey.of("tcp", facts.source(), client.runner().getPort(),
                facts.destinationIp(), facts.port());
    }

    private void decide(RunnerConnection client, ConnectionFacts facts, ByteBuf firstBytes, PolicySnapshot current,
            Optional<CompiledPolicy> policy, DnsEvidence evidence, long started) {
        if (!client.isOpen()) {
            firstBytes.release();
            return;
        }
        Decision decision = ConnectionDecider.decide(facts, evidence, policy, current.ioc());
        long decidingNanos = System.nanoTime() - started;
        Instant decidedAt = clock.instant();
        Runnable record = () -> {
            metrics.connectionDecided(decision.verdict(), decision.reason(), decidingNanos);
            events.record(ConnectionEvents.decided(node, decidedAt, facts, decision,
                    Event.JobRef.of(jobs.at(facts.source()))), connectionKey(client, facts));
        };
        // Act first, record second: an allowed connection's event and metrics are built once its first bytes are on
        // their way to the server (they then overlap the server's answer, not the upstream handshake).
        if (decision.verdict().letsThrough()) {
            relay.relay(client, facts.destination(), firstBytes, record);
        } else {
            firstBytes.release();
            client.reset();
            record.run();
        }
    }
}

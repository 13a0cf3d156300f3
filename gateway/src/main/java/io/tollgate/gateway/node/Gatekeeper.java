package io.tollgate.gateway.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.tollgate.gateway.decide.ConnectionDecider;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Decision;
import io.tollgate.gateway.decide.DnsEvidence;
import io.tollgate.gateway.events.ConnectionEvents;
import io.tollgate.gateway.events.EventSink;
import io.tollgate.gateway.inspect.FactsConsumer;
import io.tollgate.gateway.relay.Reset;
import io.tollgate.gateway.relay.UpstreamConnector;
import java.time.Clock;
import java.util.function.Supplier;

/** Decides each inspected connection against the current policy snapshot, records it, then relays or resets it. */
public final class Gatekeeper implements FactsConsumer {
    private final String node;
    private final Supplier<PolicySnapshot> snapshot;
    private final EventSink events;
    private final UpstreamConnector upstream;
    private final Clock clock;

    public Gatekeeper(String node, Supplier<PolicySnapshot> snapshot, EventSink events, UpstreamConnector upstream,
            Clock clock) {
        this.node = node;
        this.snapshot = snapshot;
        this.events = events;
        this.upstream = upstream;
        this.clock = clock;
    }

    @Override
    public void onFacts(Channel client, ConnectionFacts facts, ByteBuf firstBytes) {
        PolicySnapshot current = snapshot.get();
        Decision decision = ConnectionDecider.decide(facts, DnsEvidence.UNCHECKED,
                current.policies().forSource(facts.source()), current.ioc());
        events.record(ConnectionEvents.decided(node, clock.instant(), facts, decision));
        if (decision.verdict().letsThrough()) {
            upstream.connect(client, facts.destination(), firstBytes);
        } else {
            firstBytes.release();
            Reset.reset(client);
        }
    }
}

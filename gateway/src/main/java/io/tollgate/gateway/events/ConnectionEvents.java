package io.tollgate.gateway.events;

import com.google.common.net.InetAddresses;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Decision;
import io.tollgate.gateway.decide.Protocol;
import io.tollgate.gateway.decide.Verdict;
import java.net.InetSocketAddress;
import java.time.Instant;

/** Builds the {@code kind: tcp} event of one decided connection. */
public final class ConnectionEvents {
    private ConnectionEvents() {}

    /** Where the data path records a connection's event, with the key of its connection for joins. */
    public interface Sink {
        void record(Event event, String connectionKey);
    }

    /** {@code job} is the source's registered job, or {@code null}. */
    public static Event decided(String node, Instant at, ConnectionFacts facts, Decision decision, Event.JobRef job) {
        boolean tls = facts.protocol() == Protocol.TLS;
        boolean http = facts.protocol() == Protocol.HTTP;
        return new Event(
                timestamp(at),
                node,
                "tcp",
                decision.verdict().wire(),
                decision.reason().wire(),
                job,
                InetAddresses.toAddrString(facts.source()),
                address(facts.destination()),
                tls ? facts.name() : null,
                http ? facts.name() : null,
                null,
                null,
                null,
                decision.policyName() == null ? null : new Event.PolicyRef(decision.policyName(), decision.policyVersion()),
                null,
                http && facts.httpMethod() != null ? new Event.Http(facts.httpMethod(), facts.httpPath(), facts.name()) : null,
                facts.ech() ? Boolean.TRUE : null,
                null,
                decision.verdict() == Verdict.ALLOW ? null : decision.explanation(),
                null,
                null,
                null);
    }

    public static String timestamp(Instant at) {
        return EventTimestamp.format(at);
    }

    private static String address(InetSocketAddress a) {
        String host = InetAddresses.toAddrString(a.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

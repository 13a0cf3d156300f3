package io.tollgate.gateway.events;

import com.google.common.net.InetAddresses;
import io.tollgate.dns.DnsQueryEvent;

/** Turns the dns-firewall's record of one query into a {@code kind: dns} event. */
public final class DnsEvents {
    private DnsEvents() {}

    /** {@code job} is the source's registered job, or {@code null}. */
    public static Event of(String node, DnsQueryEvent q, Event.JobRef job) {
        return new Event(
                ConnectionEvents.timestamp(q.at()),
                node,
                "dns",
                q.verdict().wire(),
                q.reason(),
                job,
                InetAddresses.toAddrString(q.source()),
                null,
                null,
                null,
                q.qname(),
                q.qtype(),
                q.answers().isEmpty() ? null : q.answers(),
                q.policyName() == null ? null : new Event.PolicyRef(q.policyName(), q.policyVersion()),
                null,
                null,
                null,
                q.flags().isEmpty() ? null : q.flags(),
                "allow".equals(q.verdict().wire()) ? null : q.explanation(),
                null,
                null,
                null);
    }
}

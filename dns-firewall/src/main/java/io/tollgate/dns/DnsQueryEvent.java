package io.tollgate.dns;

import io.tollgate.dns.decide.DnsVerdict;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * One DNS query and what the gateway did with it; the gateway writes it as a {@code kind: dns} event.
 *
 * @param udpSourcePort the runner's UDP source port (with {@code source}, the query's flow for agent-lite's
 *     attribution); 0 for a query over TCP
 * @param qname the queried name, lower case without the trailing dot
 * @param qtype the record type's mnemonic ({@code A}, {@code AAAA}, {@code TXT}, ...)
 * @param answers what the runner was told: addresses of A/AAAA records, {@code TYPE rdata} for other records; empty
 *     for NXDOMAIN, REFUSED and SERVFAIL
 * @param policyName the policy covering the source, or {@code null} when none does
 * @param policyVersion that policy's version, or {@code null}
 * @param flags exfiltration signals of a non-allowed name, see {@code ExfilSignals}
 */
public record DnsQueryEvent(Instant at, InetAddress source, int udpSourcePort, String qname, String qtype,
        DnsVerdict verdict, String reason, List<String> answers, String policyName, String policyVersion, List<String> flags,
        String explanation) {

    public DnsQueryEvent {
        answers = List.copyOf(answers);
        flags = List.copyOf(flags);
    }
}

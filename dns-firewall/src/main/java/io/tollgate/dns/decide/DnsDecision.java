package io.tollgate.dns.decide;

import java.util.List;

/**
 * The outcome for one DNS query.
 *
 * @param reason one of the {@link DnsReason} values
 * @param resolveUpstream whether the query may leave the gateway; {@code false} means answer NXDOMAIN locally
 * @param flags exfiltration signals of a non-allowed name ({@code long-label}, {@code high-entropy},
 *     {@code many-labels}, {@code record-type:TXT}, ...), empty otherwise
 * @param explanation one sentence an operator reads in the log
 */
public record DnsDecision(DnsVerdict verdict, String reason, boolean resolveUpstream, List<String> flags,
        String explanation) {

    public DnsDecision {
        flags = List.copyOf(flags);
    }
}

package io.tollgate.dns.decide;

/** What happens to one DNS query. */
public enum DnsVerdict {
    ALLOW("allow"),
    /** Answered NXDOMAIN (or REFUSED when rate-limited) without asking upstream. */
    BLOCK("block"),
    /** Audit mode: block mode would have answered NXDOMAIN; the query is forwarded and recorded. */
    WOULD_BLOCK("would-block");

    private final String wire;

    DnsVerdict(String wire) {
        this.wire = wire;
    }

    /** The name used in events and logs. */
    public String wire() {
        return wire;
    }
}

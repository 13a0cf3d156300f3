package io.tollgate.dns.decide;

/** The stable {@code reason} values of DNS events. */
public final class DnsReason {
    public static final String ALLOWLISTED = "allowlisted";
    public static final String NOT_ALLOWLISTED = "not-allowlisted";
    public static final String IOC = "ioc";
    /** A non-allowed name that looks like data smuggled out through DNS (see {@link ExfilSignals}). */
    public static final String DNS_EXFIL = "dns-exfil";
    public static final String NO_POLICY = "no-policy";
    public static final String RATE_LIMIT = "rate-limit";
    /** A name without a dot: service containers and search-domain probes, answered locally. */
    public static final String SINGLE_LABEL = "single-label";
    /** The query could not be answered (upstream failure, malformed question). */
    public static final String ERROR = "error";

    private DnsReason() {}
}

package io.tollgate.gateway.decide;

/** What happens to a connection. */
public enum Verdict {
    ALLOW("allow"),
    BLOCK("block"),
    /** Audit mode: the policy would have blocked this connection, but it is let through and recorded. */
    WOULD_BLOCK("would-block");

    private final String wire;

    Verdict(String wire) {
        this.wire = wire;
    }

    /** The name used in events and logs. */
    public String wire() {
        return wire;
    }

    public boolean letsThrough() {
        return this != BLOCK;
    }
}

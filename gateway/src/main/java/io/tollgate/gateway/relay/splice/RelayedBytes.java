package io.tollgate.gateway.relay.splice;

/** Told the byte counts of every relayed connection when it finishes; called on a relay thread, must not block. */
@FunctionalInterface
public interface RelayedBytes {
    /** @param up bytes moved from the runner to the upstream, {@code down} the other way */
    void finished(long up, long down);
}

package io.tollgate.gateway.api;

import java.util.Optional;

/** Whether the node is serving runners: set by the node as its listeners, DNS and interception come and go. */
public final class Readiness {
    private volatile String notReadyBecause = "starting: listeners, DNS and nftables are not installed yet";

    public void ready() {
        notReadyBecause = null;
    }

    public void notReady(String because) {
        notReadyBecause = because;
    }

    /** Why the node is not ready, or empty when it is. */
    public Optional<String> notReadyBecause() {
        return Optional.ofNullable(notReadyBecause);
    }
}

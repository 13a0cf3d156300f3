package io.tollgate.policy.cluster;

/** The node's cluster member cannot start; the message names the setting to fix. */
public final class ClusterException extends Exception {
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}

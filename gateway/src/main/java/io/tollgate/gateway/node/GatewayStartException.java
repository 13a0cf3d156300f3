package io.tollgate.gateway.node;

/** The node refused to start; the message is for the operator and says what to fix. */
public final class GatewayStartException extends Exception {
    public GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tollgate.gateway.cli;

/** A gateway child process did not come up; the message carries its log. */
public final class GatewayProcessException extends RuntimeException {
    public GatewayProcessException(String message) {
        super(message);
    }
}

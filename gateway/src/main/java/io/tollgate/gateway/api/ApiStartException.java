package io.tollgate.gateway.api;

/** The operator API cannot start; the message names the file or setting to fix. */
public final class ApiStartException extends Exception {
    public ApiStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tollgate.gateway.accept;

/** A listening socket could not be opened; the message tells the operator what to check. */
public final class ListenerException extends Exception {
    public ListenerException(String message, Throwable cause) {
        super(message, cause);
    }
}

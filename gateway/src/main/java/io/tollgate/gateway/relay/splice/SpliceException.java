package io.tollgate.gateway.relay.splice;

/** A relayed connection hit an error it cannot continue after; the message names the system call and errno. */
public final class SpliceException extends Exception {
    SpliceException(String message) {
        super(message);
    }
}

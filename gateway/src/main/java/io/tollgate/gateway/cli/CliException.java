package io.tollgate.gateway.cli;

/** A command cannot do its work; the message says why and what to change. Printed without a stack trace. */
final class CliException extends Exception {
    CliException(String message) {
        super(message);
    }
}

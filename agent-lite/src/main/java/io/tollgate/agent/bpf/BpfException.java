package io.tollgate.agent.bpf;

/** The kernel side cannot be loaded or a required call failed; the message says what to do. */
public final class BpfException extends RuntimeException {
    public BpfException(String message) {
        super(message);
    }
}

package io.tollgate.testbed;

/** A testbed operation failed: a command exited non-zero, a namespace could not be entered, a server could not bind. */
public final class TestbedException extends RuntimeException {
    public TestbedException(String message) {
        super(message);
    }

    public TestbedException(String message, Throwable cause) {
        super(message, cause);
    }
}

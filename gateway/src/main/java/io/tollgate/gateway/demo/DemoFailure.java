package io.tollgate.gateway.demo;

/** The demo could not run as planned (the gateway did not start, its events could not be read); the message says why. */
final class DemoFailure extends RuntimeException {
    DemoFailure(String message) {
        super(message);
    }

    DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

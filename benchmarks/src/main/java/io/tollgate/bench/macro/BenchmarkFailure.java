package io.tollgate.bench.macro;

/** The benchmark cannot produce a valid figure (blocked or truncated download, a server that did not start...). */
final class BenchmarkFailure extends RuntimeException {
    BenchmarkFailure(String message) {
        super(message);
    }

    BenchmarkFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

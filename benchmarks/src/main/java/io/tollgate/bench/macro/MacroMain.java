package io.tollgate.bench.macro;

/** The {@code main} of a macro benchmark: a failure prints one clear message on stderr and exits with 1. */
final class MacroMain {
    interface Body {
        void run() throws Exception;
    }

    private MacroMain() {}

    static void run(String benchmark, Body body) {
        try {
            body.run();
        } catch (BenchmarkFailure | IllegalArgumentException e) {
            System.err.println(benchmark + " FAILED: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println(benchmark + " FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}

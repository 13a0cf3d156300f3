package io.tollgate.bench.macro;

/** A server under test running in a namespace: the gateway JVM or unbound. */
interface ServerProcess {
    /** User + system CPU seconds it used so far (all threads). */
    double cpuSeconds();

    boolean isAlive();

    /** The configuration file it was started with. */
    String config();

    /** The last lines of its log, for failure messages. */
    String logTail();

    /** Stops it; the namespace's close() kills whatever is left. */
    void stop() throws InterruptedException;
}

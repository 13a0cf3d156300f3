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

    /** The process whose tree (it and its descendants, e.g. nginx's workers) is the server. */
    ProcessHandle root();

    /** Live objects on its Java heap after a full GC, by class; {@code null} when it has no Java heap. */
    default HeapHistogram liveHeap() {
        return null;
    }

    /** Stops it; the namespace's close() kills whatever is left. */
    void stop() throws InterruptedException;
}

package io.tollgate.bench.macro;

/** What one run of a load generator achieved: a rate, the work done (bytes, connections) and its own CPU time. */
interface Load {
    /** The figure of merit, higher is better (MB/s, connections/s). */
    double rate();

    /** Units of work done (bytes downloaded, connections made), the denominator of the CPU costs. */
    double work();

    /** User + system CPU seconds of the load generator's processes. */
    double clientCpuSeconds();
}

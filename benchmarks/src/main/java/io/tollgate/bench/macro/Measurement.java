package io.tollgate.bench.macro;

import java.util.Locale;
import java.util.function.Supplier;

/** Runs one load on one path and records it with the CPU time the middlebox and the server used meanwhile. */
final class Measurement {
    private Measurement() {}

    static void record(ResultTable table, String figure, BenchPath path, int rep, Supplier<Load> load) {
        ServerProcess middlebox = path.middlebox();
        double middleboxBefore = middlebox == null ? Double.NaN : middlebox.cpuSeconds();
        double serverBefore = path.nginx().cpuSeconds();
        Load result = load.get();
        double serverCpu = path.nginx().cpuSeconds() - serverBefore;
        double middleboxCpu = middlebox == null ? Double.NaN : middlebox.cpuSeconds() - middleboxBefore;
        table.add(figure, path.name(), result, middleboxCpu, serverCpu);
        System.err.println(String.format(Locale.ROOT,
                "[macro] %-14s %-8s rep %d: %8.0f (work %.0f; CPU s: client %.2f, server %.2f%s)", figure, path.name(),
                rep, result.rate(), result.work(), result.clientCpuSeconds(), serverCpu,
                middlebox == null ? "" : String.format(Locale.ROOT, ", middlebox %.2f", middleboxCpu)));
    }
}

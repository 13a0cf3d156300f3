package io.tollgate.bench.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the dnsperf runs of each workload and path and renders them as Markdown. */
final class DnsResultTable {
    private record Key(String workload, String path) {}

    private static final class Cell {
        final List<Double> queriesPerSecond = new ArrayList<>();
        long sent;
        long completed;
        long lost;
        double latencySecondsTimesCompleted;
        double serverCpuSeconds;
        double clientCpuSeconds;

        double averageLatencyMillis() {
            return latencySecondsTimesCompleted / completed * 1e3;
        }
    }

    private final Map<Key, Cell> cells = new LinkedHashMap<>();
    private final List<String> workloads = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    void add(String workload, String path, DnsPath.Sample sample) {
        if (!workloads.contains(workload)) {
            workloads.add(workload);
        }
        if (!paths.contains(path)) {
            paths.add(path);
        }
        Cell cell = cells.computeIfAbsent(new Key(workload, path), k -> new Cell());
        DnsPerf.Result r = sample.result();
        cell.queriesPerSecond.add(r.queriesPerSecond());
        cell.sent += r.sent();
        cell.completed += r.completed();
        cell.lost += r.lost();
        cell.latencySecondsTimesCompleted += r.averageLatencySeconds() * r.completed();
        cell.serverCpuSeconds += sample.serverCpuSeconds();
        cell.clientCpuSeconds += r.clientCpuSeconds();
    }

    private double median(String workload, String path) {
        return Stats.median(cells.get(new Key(workload, path)).queriesPerSecond);
    }

    /** Queries/s, latency, losses and CPU per workload and path, then {@code numerator / denominator} per workload. */
    String markdown(String numerator, String denominator) {
        var md = new StringBuilder();
        md.append("| workload | path | min q/s | median q/s | max q/s | avg latency ms | lost % | server CPU µs/query"
                + " | dnsperf CPU µs/query | samples (q/s, in run order) |\n|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (String workload : workloads) {
            for (String path : paths) {
                Cell c = cells.get(new Key(workload, path));
                List<Double> v = c.queriesPerSecond;
                md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n".formatted(workload, path,
                        Numbers.fixed(v.stream().mapToDouble(d -> d).min().orElseThrow(), 0),
                        Numbers.fixed(median(workload, path), 0),
                        Numbers.fixed(v.stream().mapToDouble(d -> d).max().orElseThrow(), 0),
                        Numbers.fixed(c.averageLatencyMillis(), 2),
                        Numbers.fixed(100.0 * c.lost / c.sent, 2), Numbers.fixed(c.serverCpuSeconds / c.completed * 1e6, 1),
                        Numbers.fixed(c.clientCpuSeconds / c.completed * 1e6, 1),
                        String.join(", ", v.stream().map(d -> Numbers.fixed(d, 0)).toList())));
            }
        }
        md.append("\n| workload | ").append(numerator).append(" / ").append(denominator)
                .append(" (median q/s) | ").append(numerator).append(" / ").append(denominator)
                .append(" (server CPU per query) |\n|---|--:|--:|\n");
        for (String workload : workloads) {
            Cell n = cells.get(new Key(workload, numerator));
            Cell d = cells.get(new Key(workload, denominator));
            md.append("| %s | %s | %s |\n".formatted(workload,
                    Numbers.fixed(median(workload, numerator) / median(workload, denominator), 2),
                    Numbers.fixed((n.serverCpuSeconds / n.completed) / (d.serverCpuSeconds / d.completed), 1)));
        }
        return md.toString();
    }
}

package io.tollgate.bench.macro;

import io.tollgate.bench.macro.CurlLoad.Transfer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the samples of each figure and path and renders them as Markdown. */
final class ResultTable {
    private record Key(String figure, String path) {}

    private static final class Cell {
        final List<Double> megabytesPerSecond = new ArrayList<>();
        long bytes;
        double gatewayCpuSeconds;
        double serverCpuSeconds;
        double clientCpuSeconds;
        boolean hasGateway;

        double perGigabyte(double cpuSeconds) {
            return cpuSeconds / (bytes / 1e9);
        }
    }

    private final Map<Key, Cell> cells = new LinkedHashMap<>();
    private final List<String> figures = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    /** Adds one measurement; {@code gatewayCpuSeconds} is NaN on the direct path. */
    void add(String figure, String path, Transfer transfer, double gatewayCpuSeconds, double serverCpuSeconds) {
        if (!figures.contains(figure)) {
            figures.add(figure);
        }
        if (!paths.contains(path)) {
            paths.add(path);
        }
        Cell cell = cells.computeIfAbsent(new Key(figure, path), k -> new Cell());
        cell.megabytesPerSecond.add(transfer.megabytesPerSecond());
        cell.bytes += transfer.bytes();
        cell.serverCpuSeconds += serverCpuSeconds;
        cell.clientCpuSeconds += transfer.clientCpuSeconds();
        if (!Double.isNaN(gatewayCpuSeconds)) {
            cell.gatewayCpuSeconds += gatewayCpuSeconds;
            cell.hasGateway = true;
        }
    }

    double median(String figure, String path) {
        List<Double> sorted = cells.get(new Key(figure, path)).megabytesPerSecond.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Throughput per figure and path, then ratios and CPU cost per figure (baseline = first path, e.g. direct). */
    String markdown() {
        var md = new StringBuilder();
        md.append("| figure | path | min MB/s | median MB/s | max MB/s | samples (MB/s, in run order) |\n");
        md.append("|---|---|--:|--:|--:|---|\n");
        for (String figure : figures) {
            for (String path : paths) {
                List<Double> v = cells.get(new Key(figure, path)).megabytesPerSecond;
                md.append("| %s | %s | %s | %s | %s | %s |\n".formatted(figure, path,
                        f0(v.stream().mapToDouble(d -> d).min().orElseThrow()), f0(median(figure, path)),
                        f0(v.stream().mapToDouble(d -> d).max().orElseThrow()),
                        String.join(", ", v.stream().map(ResultTable::f0).toList())));
            }
        }
        String base = paths.getFirst();
        String others = String.join(" / ", paths);
        md.append("\n| figure | ");
        for (String path : paths.subList(1, paths.size())) {
            md.append(path).append(" / ").append(base).append(" (medians) | ");
        }
        md.append("gateway CPU s per GB | nginx CPU s per GB (").append(others).append(") | curl CPU s per GB (")
                .append(others).append(") |\n|---|").append("--:|".repeat(paths.size() - 1 + 3)).append('\n');
        for (String figure : figures) {
            List<Cell> row = paths.stream().map(p -> cells.get(new Key(figure, p))).toList();
            md.append("| ").append(figure).append(" | ");
            for (String path : paths.subList(1, paths.size())) {
                md.append(f2(median(figure, path) / median(figure, base))).append(" | ");
            }
            md.append(row.stream().filter(c -> c.hasGateway).map(c -> f2(c.perGigabyte(c.gatewayCpuSeconds)))
                    .findFirst().orElse("–")).append(" | ");
            md.append(String.join(" / ", row.stream().map(c -> f2(c.perGigabyte(c.serverCpuSeconds))).toList()))
                    .append(" | ");
            md.append(String.join(" / ", row.stream().map(c -> f2(c.perGigabyte(c.clientCpuSeconds))).toList()))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}

package io.tollgate.bench.macro;

import io.tollgate.bench.macro.CurlLoad.Transfer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        return Stats.median(cells.get(new Key(figure, path)).megabytesPerSecond);
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
                        Numbers.fixed(v.stream().mapToDouble(d -> d).min().orElseThrow(), 0),
                        Numbers.fixed(median(figure, path), 0),
                        Numbers.fixed(v.stream().mapToDouble(d -> d).max().orElseThrow(), 0),
                        String.join(", ", v.stream().map(d -> Numbers.fixed(d, 0)).toList())));
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
                md.append(Numbers.fixed(median(figure, path) / median(figure, base), 2)).append(" | ");
            }
            md.append(row.stream().filter(c -> c.hasGateway)
                    .map(c -> Numbers.fixed(c.perGigabyte(c.gatewayCpuSeconds), 2)).findFirst().orElse("–"))
                    .append(" | ");
            md.append(String.join(" / ",
                    row.stream().map(c -> Numbers.fixed(c.perGigabyte(c.serverCpuSeconds), 2)).toList())).append(" | ");
            md.append(String.join(" / ",
                    row.stream().map(c -> Numbers.fixed(c.perGigabyte(c.clientCpuSeconds), 2)).toList()))
                    .append(" |\n");
        }
        return md.toString();
    }
}

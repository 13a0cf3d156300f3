package io.tollgate.bench.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Collects the samples of each figure and path for one kind of {@link Load} (MB/s, connections/s) and renders them
 * as Markdown: min/median/max per figure and path, then the ratios of medians of {@link PathPairs} and the CPU cost
 * per unit of work of the middlebox, the server and the client.
 */
final class ResultTable {
    private record Key(String figure, String path) {}

    private static final class Cell {
        final List<Double> rates = new ArrayList<>();
        double work;
        double middleboxCpuSeconds;
        /** Per repetition: the middlebox's CPU seconds × workPerCpuUnit / work. */
        final List<Double> middleboxCosts = new ArrayList<>();
        double serverCpuSeconds;
        double clientCpuSeconds;
        boolean hasMiddlebox;
    }

    private final String rateUnit;
    private final String cpuUnit;
    private final double workPerCpuUnit;
    private final String client;
    private final Map<Key, Cell> cells = new LinkedHashMap<>();
    private final List<String> figures = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    /**
     * @param rateUnit e.g. {@code MB/s}
     * @param cpuUnit e.g. {@code CPU s per GB}
     * @param workPerCpuUnit the cost shown is CPU seconds × this / work, e.g. 1e9 for CPU s per GB of bytes or 1e6
     *     for CPU µs per connection
     * @param client the load generator, e.g. {@code curl}
     */
    ResultTable(String rateUnit, String cpuUnit, double workPerCpuUnit, String client) {
        this.rateUnit = rateUnit;
        this.cpuUnit = cpuUnit;
        this.workPerCpuUnit = workPerCpuUnit;
        this.client = client;
    }

    /** Adds one measurement; {@code middleboxCpuSeconds} is NaN on the direct path. */
    void add(String figure, String path, Load load, double middleboxCpuSeconds, double serverCpuSeconds) {
        if (!figures.contains(figure)) {
            figures.add(figure);
        }
        if (!paths.contains(path)) {
            paths.add(path);
        }
        Cell cell = cells.computeIfAbsent(new Key(figure, path), k -> new Cell());
        cell.rates.add(load.rate());
        cell.work += load.work();
        cell.serverCpuSeconds += serverCpuSeconds;
        cell.clientCpuSeconds += load.clientCpuSeconds();
        if (!Double.isNaN(middleboxCpuSeconds)) {
            cell.middleboxCpuSeconds += middleboxCpuSeconds;
            cell.middleboxCosts.add(middleboxCpuSeconds * workPerCpuUnit / load.work());
            cell.hasMiddlebox = true;
        }
    }

    double median(String figure, String path) {
        return Stats.median(cells.get(new Key(figure, path)).rates);
    }

    String markdown() {
        var md = new StringBuilder();
        md.append("| figure | path | min %1$s | median %1$s | max %1$s | samples (%1$s, in run order) |\n"
                .formatted(rateUnit));
        md.append("|---|---|--:|--:|--:|---|\n");
        for (String figure : figures) {
            for (String path : paths) {
                List<Double> v = cells.get(new Key(figure, path)).rates;
                md.append("| %s | %s | %s | %s | %s | %s |\n".formatted(figure, path,
                        Numbers.fixed(v.stream().mapToDouble(d -> d).min().orElseThrow(), 0),
                        Numbers.fixed(median(figure, path), 0),
                        Numbers.fixed(v.stream().mapToDouble(d -> d).max().orElseThrow(), 0),
                        String.join(", ", v.stream().map(d -> Numbers.fixed(d, 0)).toList())));
            }
        }
        List<PathPairs.Pair> pairs = PathPairs.of(paths);
        List<String> middleboxes = paths.subList(1, paths.size());
        md.append("\n| figure | ");
        pairs.forEach(p -> md.append(p).append(" (medians) | "));
        md.append("middlebox %s (%s) | server nginx %s (%s) | %s %s (%s) |\n".formatted(cpuUnit,
                String.join(" / ", middleboxes), cpuUnit, String.join(" / ", paths), client, cpuUnit,
                String.join(" / ", paths)));
        md.append("|---|").append("--:|".repeat(pairs.size() + 3)).append('\n');
        for (String figure : figures) {
            List<Cell> row = paths.stream().map(p -> cells.get(new Key(figure, p))).toList();
            md.append("| ").append(figure).append(" | ");
            for (PathPairs.Pair pair : pairs) {
                md.append(Numbers.fixed(median(figure, pair.numerator()) / median(figure, pair.denominator()), 2))
                        .append(" | ");
            }
            md.append(costs(row.stream().filter(c -> c.hasMiddlebox).toList(), c -> c.middleboxCpuSeconds))
                    .append(" | ").append(costs(row, c -> c.serverCpuSeconds)).append(" | ")
                    .append(costs(row, c -> c.clientCpuSeconds)).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The middlebox's CPU cost of each repetition, min / median / max per figure and middlebox, in {@code unit} =
     * the table's CPU unit × {@code scale} (e.g. 0.125 turns CPU s per GB into cores busy per Gbit/s).
     */
    String middleboxCostSpread(String unit, double scale) {
        List<String> middleboxes = paths.stream()
                .filter(p -> figures.stream().anyMatch(f -> cells.get(new Key(f, p)).hasMiddlebox)).toList();
        var md = new StringBuilder("| figure | ");
        middleboxes.forEach(m -> md.append(m).append(" ").append(unit).append(" (min / median / max) | "));
        md.append("\n|---|").append("--:|".repeat(middleboxes.size())).append('\n');
        for (String figure : figures) {
            md.append("| ").append(figure).append(" | ");
            for (String m : middleboxes) {
                List<Double> v = cells.get(new Key(figure, m)).middleboxCosts.stream().map(c -> c * scale).toList();
                md.append(Numbers.fixed(v.stream().mapToDouble(d -> d).min().orElseThrow(), 2)).append(" / ")
                        .append(Numbers.fixed(Stats.median(v), 2)).append(" / ")
                        .append(Numbers.fixed(v.stream().mapToDouble(d -> d).max().orElseThrow(), 2)).append(" | ");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private String costs(List<Cell> row, ToDoubleFunction<Cell> cpuSeconds) {
        return String.join(" / ", row.stream()
                .map(c -> Numbers.fixed(cpuSeconds.applyAsDouble(c) / (c.work / workPerCpuUnit), 2)).toList());
    }
}

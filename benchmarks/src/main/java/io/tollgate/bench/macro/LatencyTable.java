package io.tollgate.bench.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Connection setup latency per path: the p50 and p99 of each repetition's handshakes, rendered as the median over
 * the repetitions with their min–max, and what each path adds to the first (direct).
 */
final class LatencyTable {
    private record Percentiles(double p50, double p99) {}

    private final Map<String, List<Percentiles>> byPath = new LinkedHashMap<>();

    /** Adds one repetition: the setup times of its connections, in milliseconds. */
    void add(String path, List<Double> millis) {
        byPath.computeIfAbsent(path, p -> new ArrayList<>())
                .add(new Percentiles(Stats.percentile(millis, 50), Stats.percentile(millis, 99)));
    }

    String markdown() {
        var md = new StringBuilder("""
                | path | p50 ms (median of reps) | p50 min–max | p99 ms (median of reps) | p99 min–max | added p50 ms | added p99 ms |
                |---|--:|--:|--:|--:|--:|--:|
                """);
        String base = byPath.keySet().iterator().next();
        for (var entry : byPath.entrySet()) {
            List<Double> p50 = entry.getValue().stream().map(Percentiles::p50).toList();
            List<Double> p99 = entry.getValue().stream().map(Percentiles::p99).toList();
            md.append("| %s | %s | %s | %s | %s | %s | %s |\n".formatted(entry.getKey(), ms(Stats.median(p50)),
                    range(p50), ms(Stats.median(p99)), range(p99), ms(Stats.median(p50) - median(base, Percentiles::p50)),
                    ms(Stats.median(p99) - median(base, Percentiles::p99))));
        }
        return md.toString();
    }

    private double median(String path, Function<Percentiles, Double> which) {
        return Stats.median(byPath.get(path).stream().map(which).toList());
    }

    private static String range(List<Double> v) {
        return ms(v.stream().mapToDouble(d -> d).min().orElseThrow()) + "–"
                + ms(v.stream().mapToDouble(d -> d).max().orElseThrow());
    }

    private static String ms(double v) {
        return Numbers.fixed(v, 2);
    }
}

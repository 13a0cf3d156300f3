package io.tollgate.bench.macro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link SetupSteps} of each middlebox, pooled over its captured repetitions, as p50 / p99 per step. */
final class SetupStepTable {
    private final Map<String, SetupSteps> byPath = new LinkedHashMap<>();

    void add(String path, SetupSteps steps) {
        byPath.merge(path, steps, SetupSteps::plus);
    }

    String markdown() {
        var md = new StringBuilder("""
                | middlebox | connections | ClientHello in → SYN out, p50 / p99 ms | SYN-ACK in → ClientHello out, p50 / p99 ms | server's first bytes in → out, p50 / p99 ms |
                |---|--:|--:|--:|--:|
                """);
        byPath.forEach((path, s) -> md.append("| %s | %d | %s | %s | %s |\n".formatted(path, s.decision().size(),
                percentiles(s.decision()), percentiles(s.firstBytes()), percentiles(s.answer()))));
        return md.toString();
    }

    private static String percentiles(List<Double> ms) {
        return ms.isEmpty() ? "—"
                : Numbers.fixed(Stats.percentile(ms, 50), 3) + " / " + Numbers.fixed(Stats.percentile(ms, 99), 3);
    }
}

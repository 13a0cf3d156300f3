package io.tollgate.bench.macro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link SetupSteps} of each path, pooled over its captured repetitions, as p50 / p99 per step. */
final class SetupStepTable {
    private final Map<String, SetupSteps> byPath = new LinkedHashMap<>();

    void add(String path, SetupSteps steps) {
        byPath.merge(path, steps, SetupSteps::plus);
    }

    String markdown() {
        var md = new StringBuilder("""
                | path | connections | through: ClientHello in → server's first bytes out, p50 / p99 ms | ClientHello in → SYN out | SYN-ACK in → ClientHello out | server's work: ClientHello out → its first bytes in | server's first bytes in → out |
                |---|--:|--:|--:|--:|--:|--:|
                """);
        byPath.forEach((path, s) -> md.append("| %s | %d | %s | %s | %s | %s | %s |\n".formatted(path,
                s.through().size(), percentiles(s.through()), percentiles(s.decision()), percentiles(s.firstBytes()),
                percentiles(s.server()), percentiles(s.answer()))));
        return md.toString();
    }

    private static String percentiles(List<Double> ms) {
        return ms.isEmpty() ? "—"
                : Numbers.fixed(Stats.percentile(ms, 50), 3) + " / " + Numbers.fixed(Stats.percentile(ms, 99), 3);
    }
}

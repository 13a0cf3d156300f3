package io.tollgate.bench.macro;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM's live objects by class, from {@code jcmd PID GC.class_histogram}. */
record HeapHistogram(long totalBytes, Map<String, Usage> byClass) {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    record Usage(long instances, long bytes) {}

    /** The classes that grew most from {@code before} to this histogram, largest first. */
    record Growth(String className, long instances, long bytes) {}

    static HeapHistogram parse(List<String> lines) {
        Map<String, Usage> byClass = new HashMap<>();
        long total = -1;
        for (String line : lines) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                byClass.merge(row.group(3), new Usage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Usage(a.instances() + b.instances(), a.bytes() + b.bytes()));
                continue;
            }
            Matcher t = TOTAL.matcher(line.strip());
            if (t.matches()) {
                total = Long.parseLong(t.group(2));
            }
        }
        if (total < 0) {
            throw new BenchmarkFailure("jcmd GC.class_histogram printed no Total line:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        return new HeapHistogram(total, Map.copyOf(byClass));
    }

    List<Growth> largestGrowthSince(HeapHistogram before, int limit) {
        return byClass.entrySet().stream()
                .map(e -> {
                    Usage old = before.byClass().getOrDefault(e.getKey(), new Usage(0, 0));
                    return new Growth(e.getKey(), e.getValue().instances() - old.instances(),
                            e.getValue().bytes() - old.bytes());
                })
                .filter(g -> g.bytes() > 0)
                .sorted(Comparator.comparingLong(Growth::bytes).reversed())
                .limit(limit)
                .toList();
    }
}

package io.tollgate.bench.macro;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The CPU time of a shell's children, from the second line the shell builtin {@code times} prints. */
final class ShellTimes {
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    private ShellTimes() {}

    /** User + system seconds of a {@code times} line such as {@code 0m1.20s 0m0.35s}. */
    static double seconds(String line) {
        Matcher m = TIMES.matcher(line.strip());
        if (!m.matches()) {
            throw new BenchmarkFailure("cannot parse the shell's `times` output: " + line);
        }
        return Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                + Long.parseLong(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    }
}

package io.tollgate.bench.macro;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file for the report, with each run of lines that differ only in their numbers (one per benchmark
 * name) cut to its first and last lines and a count.
 */
final class ConfigExcerpt {
    private static final int KEEP = 2;

    private ConfigExcerpt() {}

    static String of(String config) {
        List<String> lines = config.lines().toList();
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int end = i + 1;
            while (end < lines.size() && shape(lines.get(end)).equals(shape(lines.get(i)))) {
                end++;
            }
            if (end - i > 2 * KEEP + 1) {
                out.addAll(lines.subList(i, i + KEEP));
                String indent = lines.get(i).substring(0, lines.get(i).length() - lines.get(i).stripLeading().length());
                out.add(indent + "# ... " + (end - i - 2 * KEEP) + " more lines like these ...");
                out.addAll(lines.subList(end - KEEP, end));
            } else {
                out.addAll(lines.subList(i, end));
            }
            i = end;
        }
        return String.join("\n", out) + "\n";
    }

    private static String shape(String line) {
        return line.replaceAll("\\d+", "#");
    }
}

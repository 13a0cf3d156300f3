package io.tollgate.bench.macro;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparisons a table shows, for paths in run order (the first is the baseline, {@code direct}; the second is
 * the subject, {@code tollgate}; the rest are its peers): every path against the baseline, then the subject
 * against each peer.
 */
final class PathPairs {
    record Pair(String numerator, String denominator) {
        @Override
        public String toString() {
            return numerator + " / " + denominator;
        }
    }

    private PathPairs() {}

    static List<Pair> of(List<String> paths) {
        List<Pair> pairs = new ArrayList<>();
        for (String path : paths.subList(1, paths.size())) {
            pairs.add(new Pair(path, paths.getFirst()));
        }
        for (String peer : paths.subList(Math.min(2, paths.size()), paths.size())) {
            pairs.add(new Pair(paths.get(1), peer));
        }
        return pairs;
    }
}

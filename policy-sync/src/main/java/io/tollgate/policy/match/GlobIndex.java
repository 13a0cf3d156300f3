package io.tollgate.policy.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-label globs of one trie node, bucketed by their literal prefix (the text before the first {@code *}), so a
 * lookup tries one hash probe per distinct prefix length instead of every glob. Immutable.
 */
final class GlobIndex {
    static final GlobIndex EMPTY = new GlobIndex(new int[0], LabelTable.of(Map.of()));

    private final int[] prefixLengths;
    private final LabelTable<Glob[]> byPrefix;

    private GlobIndex(int[] prefixLengths, LabelTable<Glob[]> byPrefix) {
        this.prefixLengths = prefixLengths;
        this.byPrefix = byPrefix;
    }

    /** @param portsByPattern glob patterns such as {@code productionresultssa*} with their ports */
    static GlobIndex of(Map<String, PortSet> portsByPattern) {
        if (portsByPattern.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<Glob>> buckets = new TreeMap<>();
        portsByPattern.forEach((pattern, ports) -> buckets
                .computeIfAbsent(pattern.substring(0, pattern.indexOf('*')), prefix -> new ArrayList<>())
                .add(new Glob(new LabelGlob(pattern), ports)));
        Map<String, Glob[]> frozen = new TreeMap<>();
        buckets.forEach((prefix, globs) -> frozen.put(prefix, globs.toArray(Glob[]::new)));
        int[] lengths = frozen.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
        return new GlobIndex(lengths, LabelTable.of(frozen));
    }

    /** True when label {@code name[from, to)} matches a glob admitting {@code port}. */
    boolean matches(String name, int from, int to, int port) {
        for (int length : prefixLengths) {
            if (length > to - from) {
                return false;
            }
            Glob[] bucket = byPrefix.get(name, from, from + length);
            if (bucket != null) {
                for (Glob glob : bucket) {
                    if (glob.ports.admits(port) && glob.pattern.matches(name, from, to)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private record Glob(LabelGlob pattern, PortSet ports) {
    }
}

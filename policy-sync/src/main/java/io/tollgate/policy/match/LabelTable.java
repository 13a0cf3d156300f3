package io.tollgate.policy.match;

import java.util.Map;

/**
 * An immutable open-addressing map from DNS label to child, looked up by a character range of a longer name so
 * that matching never cuts the name into substrings.
 */
final class LabelTable<T> {
    @SuppressWarnings("rawtypes")
    private static final LabelTable EMPTY = new LabelTable<>(Map.of());

    private final String[] keys;
    private final Object[] values;
    private final int mask;

    private LabelTable(Map<String, T> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        entries.forEach((key, value) -> {
            int slot = hash(key, 0, key.length()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = value;
        });
    }

    @SuppressWarnings("unchecked")
    static <T> LabelTable<T> of(Map<String, T> entries) {
        return entries.isEmpty() ? (LabelTable<T>) EMPTY : new LabelTable<>(entries);
    }

    /** The child for label {@code name[from, to)}, or null. */
    @SuppressWarnings("unchecked")
    T get(String name, int from, int to) {
        int length = to - from;
        int slot = hash(name, from, to) & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (key.length() == length && key.regionMatches(0, name, from, length)) {
                return (T) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}

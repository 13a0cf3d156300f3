package io.tollgate.policy.match;

/** A label pattern with {@code *} standing for any characters (zero or more) within one DNS label. */
final class LabelGlob {
    private final String[] literals;

    LabelGlob(String pattern) {
        this.literals = pattern.split("\\*", -1);
    }

    /** True when label {@code name[from, to)} matches the whole pattern. */
    boolean matches(String name, int from, int to) {
        String first = literals[0];
        String last = literals[literals.length - 1];
        if (to - from < first.length() + last.length()
                || !name.regionMatches(from, first, 0, first.length())
                || !name.regionMatches(to - last.length(), last, 0, last.length())) {
            return false;
        }
        int position = from + first.length();
        int limit = to - last.length();
        for (int i = 1; i < literals.length - 1; i++) {
            position = indexOf(name, literals[i], position, limit);
            if (position < 0) {
                return false;
            }
            position += literals[i].length();
        }
        return true;
    }

    private static int indexOf(String name, String literal, int from, int limit) {
        for (int start = from; start + literal.length() <= limit; start++) {
            if (name.regionMatches(start, literal, 0, literal.length())) {
                return start;
            }
        }
        return -1;
    }
}

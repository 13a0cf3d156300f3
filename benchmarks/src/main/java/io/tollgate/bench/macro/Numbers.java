package io.tollgate.bench.macro;

import java.util.Locale;

/** Figures for the Markdown tables. */
final class Numbers {
    private Numbers() {}

    /** {@code v} with {@code decimals} digits after the point, whatever the default locale. */
    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}

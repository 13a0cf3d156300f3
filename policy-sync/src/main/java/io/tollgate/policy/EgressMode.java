package io.tollgate.policy;

import java.util.Locale;

/** What a policy does with traffic its rules would block: {@code block} it, or only record {@code would-block}. */
public enum EgressMode {
    BLOCK,
    AUDIT;

    /** Parses {@code block} or {@code audit}, case-insensitive. */
    public static EgressMode parse(String text) throws PolicyException {
        if (text != null) {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "block" -> { return BLOCK; }
                case "audit" -> { return AUDIT; }
                default -> { }
            }
        }
        throw new PolicyException("egress-policy '" + text + "' is not 'block' or 'audit'");
    }
}

package io.tollgate.policy.match;

import java.net.IDN;
import java.util.Locale;

/**
 * Brings a name as seen on the wire (SNI, Host, DNS question) into the form policies are compiled in: lower-case
 * A-labels without a trailing dot. Returns the same instance when the name already has that form.
 */
public final class LookupName {
    private LookupName() {
    }

    /** The normalized name, or {@code null} when it cannot be a host name (empty, bad characters, bad IDN). */
    public static String normalize(String name) {
        if (name == null) {
            return null;
        }
        int end = name.length();
        if (end > 0 && name.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return null;
        }
        boolean upper = false;
        for (int i = 0; i < end; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= 0x80) {
                return fromUnicode(name.substring(0, end));
            } else if (!isHostChar(c)) {
                return null;
            }
        }
        String trimmed = end == name.length() ? name : name.substring(0, end);
        return upper ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
    }

    private static String fromUnicode(String name) {
        String ascii;
        try {
            ascii = IDN.toASCII(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (ascii.charAt(i) >= 0x80) {
                return null;
            }
        }
        return normalize(ascii);
    }

    private static boolean isHostChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    }
}

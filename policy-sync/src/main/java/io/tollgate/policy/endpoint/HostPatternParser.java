package io.tollgate.policy.endpoint;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.util.Locale;

/**
 * Validates a host name or wildcard pattern and returns its normalized form (lower-case A-labels, no trailing
 * dot). Rejections throw {@link IllegalArgumentException} whose message says why and what to write instead.
 */
public final class HostPatternParser {
    /** An in-label wildcard directly over a public suffix needs at least this many literal characters. */
    static final int MIN_LITERALS_OVER_PUBLIC_SUFFIX = 4;
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;

    private HostPatternParser() {
    }

    /** Normalizes an exact name or a wildcard pattern as allowed in {@code allowed-endpoints}. */
    public static String normalizePattern(String raw) {
        String name = normalizeSyntax(raw);
        String[] labels = name.split("\\.", -1);
        if (labels.length == 1) {
            throw new IllegalArgumentException(name.contains("*")
                    ? "a bare '*' would allow every host; name a domain such as *.example.com"
                    : "single-label name '" + name + "' (a service container or local host) never leaves the runner;"
                            + " write a fully qualified name such as " + name + ".example.com");
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + name + "' is neither a host name (its last label is numeric) nor"
                    + " an IP address");
        }
        for (int i = 1; i < labels.length; i++) {
            if (labels[i].contains("*")) {
                throw new IllegalArgumentException("'*' is allowed only in the leftmost label, as in *.example.com"
                        + " or prefix*.example.com");
            }
        }
        String leftmost = labels[0];
        if (leftmost.contains("*")) {
            checkWildcard(leftmost, name.substring(leftmost.length() + 1));
        }
        return name;
    }

    /** Normalizes an exact host name (no wildcard); single labels are accepted. */
    public static String normalizeName(String raw) {
        String name = normalizeSyntax(raw);
        if (name.contains("*")) {
            throw new IllegalArgumentException("a wildcard is not allowed here; write the domain itself");
        }
        return name;
    }

    private static String normalizeSyntax(String raw) {
        String name = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        String[] labels = name.split("\\.", -1);
        StringBuilder normalized = new StringBuilder(name.length());
        for (String label : labels) {
            if (!normalized.isEmpty()) {
                normalized.append('.');
            }
            normalized.append(normalizeLabel(label));
        }
        if (normalized.length() > MAX_NAME) {
            throw new IllegalArgumentException("name is longer than " + MAX_NAME + " characters");
        }
        return normalized.toString();
    }

    private static String normalizeLabel(String label) {
        if (label.isEmpty()) {
            throw new IllegalArgumentException("empty label (two dots in a row, or a leading dot)");
        }
        String ascii = label;
        if (!label.chars().allMatch(c -> c < 0x80)) {
            if (label.contains("*")) {
                throw new IllegalArgumentException("'*' cannot be combined with non-ASCII characters in label '"
                        + label + "'; write the label in its xn-- form");
            }
            try {
                ascii = IDN.toASCII(label);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("label '" + label + "' is not a valid internationalized name");
            }
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.length() > MAX_LABEL) {
            throw new IllegalArgumentException("label '" + ascii + "' is longer than " + MAX_LABEL + " characters");
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*';
            if (!ok) {
                throw new IllegalArgumentException("character '" + c + "' is not allowed in a host name");
            }
        }
        if (ascii.contains("**")) {
            throw new IllegalArgumentException("'**' in label '" + ascii + "'; a single '*' already matches any"
                    + " characters");
        }
        return ascii;
    }

    private static void checkWildcard(String leftmost, String fixedPart) {
        boolean publicSuffix = isPublicSuffix(fixedPart);
        boolean topLevel = !fixedPart.contains(".");
        if (!publicSuffix && !topLevel) {
            return;
        }
        if (leftmost.equals("*") || topLevel) {
            throw new IllegalArgumentException("wildcard over the " + (publicSuffix ? "public suffix" : "top-level domain")
                    + " '" + fixedPart + "' would allow every ." + fixedPart
                    + " host; name a registrable domain such as *.example." + fixedPart);
        }
        if (leftmost.replace("*", "").length() < MIN_LITERALS_OVER_PUBLIC_SUFFIX) {
            throw new IllegalArgumentException("wildcard label '" + leftmost + "' over the public suffix '" + fixedPart
                    + "' needs at least " + MIN_LITERALS_OVER_PUBLIC_SUFFIX
                    + " fixed characters (such as productionresultssa*) or a registrable domain such as *.example."
                    + fixedPart);
        }
    }

    private static boolean isPublicSuffix(String name) {
        return InternetDomainName.isValid(name) && InternetDomainName.from(name).isPublicSuffix();
    }
}

package io.tollgate.dns.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Type;

/**
 * Signs that a query name carries data rather than names a host: DNS tunnels and exfiltration encode payloads
 * (base32, hex) in long, random-looking labels, many labels deep, and prefer record types that carry text back.
 */
public final class ExfilSignals {
    static final int LONG_LABEL = 40;
    static final int MANY_LABELS = 8;
    /**
     * Bits per character. 60 random base32 characters measure above 4.2, 32 of them about 4.3 on average;
     * host names measured below 3.8 ({@code productionresultssa12} 3.78, {@code githubusercontent} 3.45).
     */
    static final double HIGH_ENTROPY = 4.0;
    /** Shorter labels cannot reach the threshold reliably, and short random-looking labels are common in CDNs. */
    static final int ENTROPY_MIN_LENGTH = 20;

    private ExfilSignals() {}

    /** The flags raised by {@code qname} (trailing dot optional) queried for {@code qtype}; empty when none. */
    public static List<String> of(String qname, int qtype) {
        List<String> flags = new ArrayList<>();
        String[] labels = stripDot(qname).split("\\.");
        String longest = "";
        for (String label : labels) {
            if (label.length() > longest.length()) {
                longest = label;
            }
        }
        if (longest.length() > LONG_LABEL) {
            flags.add("long-label");
        }
        if (longest.length() >= ENTROPY_MIN_LENGTH && entropy(longest) >= HIGH_ENTROPY) {
            flags.add("high-entropy");
        }
        if (labels.length > MANY_LABELS) {
            flags.add("many-labels");
        }
        if (qtype == Type.TXT || qtype == Type.NULL || qtype == Type.ANY) {
            flags.add("record-type:" + Type.string(qtype));
        }
        return flags;
    }

    /** Shannon entropy in bits per character, case-insensitive. */
    static double entropy(String label) {
        int[] counts = new int[128];
        int others = 0;
        for (char c : label.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c < counts.length) {
                counts[c]++;
            } else {
                others++;
            }
        }
        double bits = 0;
        double n = label.length();
        for (int count : counts) {
            bits += term(count, n);
        }
        return bits + term(others, n);
    }

    private static double term(int count, double n) {
        if (count == 0) {
            return 0;
        }
        double p = count / n;
        return -p * Math.log(p) / Math.log(2);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}

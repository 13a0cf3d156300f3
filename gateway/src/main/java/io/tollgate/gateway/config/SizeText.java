package io.tollgate.gateway.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes operators write in the config: {@code 500KiB}, {@code 100MiB}, {@code 1GiB}, {@code 4096}. */
final class SizeText {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*(b|kib|mib|gib|kb|mb|gb)?");
    private static final long MIN = 4096;

    private SizeText() {}

    static long parse(String key, String text) throws ConfigException {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key + ": '" + text + "' is not a size; write e.g. 100MiB, 512KiB or 1GiB");
        }
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> 1L;
        };
        long bytes = Long.parseLong(m.group(1)) * unit;
        if (bytes < MIN) {
            throw new ConfigException(key + ": " + text.trim() + " is too small; at least " + MIN + " bytes");
        }
        return bytes;
    }
}

package io.tollgate.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations operators write in the config: {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h}. */
final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private DurationText() {}

    static Duration parse(String key, String text) throws ConfigException {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(key + ": '" + text + "' is not a duration; write e.g. 500ms, 3s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new ConfigException(key + ": must be longer than zero");
        }
        return d;
    }
}

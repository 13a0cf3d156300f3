package io.tollgate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /v1/events}: {@code job} (a job id), {@code verdict} (one or a comma-separated list),
 * {@code since} (a duration back from now such as {@code 10m}, or an RFC 3339 time) and {@code follow}. Every mistake
 * is an {@link IllegalArgumentException} whose message names the parameter and what it accepts.
 *
 * @param since events at or after this instant, or {@code null} for all
 */
public record EventQuery(String job, Set<String> verdicts, Instant since, boolean follow) {
    static final Set<String> VERDICTS = Set.of("allow", "block", "would-block", "detect");
    private static final Set<String> PARAMETERS = Set.of("job", "verdict", "since", "follow");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    public EventQuery {
        verdicts = Set.copyOf(verdicts);
    }

    /** Reads the query parameters ({@code name → values}); {@code now} anchors a relative {@code since}. */
    public static EventQuery parse(Map<String, List<String>> parameters, Instant now) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "'; the parameters are follow, job,"
                        + " since and verdict");
            }
        }
        String job = single(parameters, "job");
        if (job != null && job.isBlank()) {
            throw new IllegalArgumentException("job is empty; give a job id as `tollgate jobs` lists it");
        }
        return new EventQuery(job, verdicts(single(parameters, "verdict")), since(single(parameters, "since"), now),
                follow(single(parameters, "follow")));
    }

    /** Whether an event (one JSON line of the stream, parsed) passes the filters. */
    public boolean matches(JsonNode event) {
        if (job != null && !job.equals(event.path("job").path("id").asText(null))) {
            return false;
        }
        if (!verdicts.isEmpty() && !verdicts.contains(event.path("verdict").asText(""))) {
            return false;
        }
        if (since != null) {
            try {
                return !Instant.parse(event.path("ts").asText("")).isBefore(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return true;
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + " is given " + values.size() + " times; give it once");
        }
        return values.isEmpty() ? null : values.getFirst().strip();
    }

    private static Set<String> verdicts(String text) {
        if (text == null) {
            return Set.of();
        }
        Set<String> verdicts = new LinkedHashSet<>(Arrays.asList(text.split(",", -1)));
        for (String verdict : verdicts) {
            if (!VERDICTS.contains(verdict)) {
                throw new IllegalArgumentException("verdict '" + verdict + "' is not one of allow, block, would-block,"
                        + " detect (several may be given, comma-separated)");
            }
        }
        return verdicts;
    }

    private static Instant since(String text, Instant now) {
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration back = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(back);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since '" + text + "' is neither a duration (e.g. 30s, 10m, 2h, 1d)"
                    + " nor an RFC 3339 time (e.g. 2026-11-23T14:00:00Z)");
        }
    }

    private static boolean follow(String text) {
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw new IllegalArgumentException("follow '" + text + "' must be true or false");
    }
}

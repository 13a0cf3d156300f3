package io.tollgate.policy.jobs;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * What a runner's job-started hook registers. The constructor validates every field and names the bad one with its
 * API name ({@code run_id}, ...) in an {@link IllegalArgumentException}.
 */
public record JobRequest(InetAddress ip, String repo, String workflow, String job, String runId, int runAttempt,
        String runnerName) {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Pattern RUN_ID = Pattern.compile("[0-9]{1,20}");
    private static final int MAX_TEXT = 256;

    public JobRequest {
        if (ip == null) {
            throw new IllegalArgumentException("ip is missing: the runner's own address, e.g. 10.10.0.2");
        }
        requireMatch("repo", repo, REPO, "owner/name, e.g. octo-org/app (GITHUB_REPOSITORY)");
        requireText("workflow", workflow);
        requireText("job", job);
        requireText("runner_name", runnerName);
        requireMatch("run_id", runId, RUN_ID, "the digits of GITHUB_RUN_ID");
        if (runAttempt < 1) {
            throw new IllegalArgumentException("run_attempt is missing or below 1: GITHUB_RUN_ATTEMPT, 1 for a first run");
        }
    }

    /** Parses the {@code ip} field: a literal IPv4 or IPv6 address, never a name. */
    public static InetAddress parseIp(String text) {
        if (text == null) {
            return null;
        }
        if (!InetAddresses.isInetAddress(text)) {
            throw new IllegalArgumentException("ip: '" + text + "' is not an IP address");
        }
        return InetAddresses.forString(text);
    }

    private static void requireMatch(String field, String value, Pattern form, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing: " + expected);
        }
        if (!form.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not " + expected);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing or empty");
        }
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " contains control characters");
        }
    }
}

package io.tollgate.gateway.api;

import io.tollgate.policy.jobs.JobRequest;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The JSON body of {@code POST /v1/jobs}; every mistake is an {@link IllegalArgumentException} naming the field. */
final class JobRequestJson {
    private static final Set<String> FIELDS =
            Set.of("ip", "repo", "workflow", "job", "run_id", "run_attempt", "runner_name", "id_token");

    private JobRequestJson() {}

    static JobRequest parse(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "'; the fields are "
                        + String.join(", ", new TreeSet<>(FIELDS)));
            }
        }
        return new JobRequest(JobRequest.parseIp(string(body, "ip")), string(body, "repo"), string(body, "workflow"),
                string(body, "job"), digits(body, "run_id"), attempt(body), string(body, "runner_name"));
    }

    /** The job's GitHub OIDC token, when the hook sent one. */
    static Optional<String> idToken(JsonObject body) {
        String token = string(body, "id_token");
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(token);
    }

    private static String string(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(field + " must be a string, got " + value);
        }
        return (String) value;
    }

    /** A number written as a JSON string (as GITHUB_RUN_ID is) or as a JSON integer. */
    private static String digits(JsonObject body, String field) {
        Object value = body.getValue(field);
        return value instanceof Integer || value instanceof Long ? value.toString() : string(body, field);
    }

    /** The attempt number, 0 when missing (which {@link JobRequest} refuses after the fields before it). */
    private static int attempt(JsonObject body) {
        String text = digits(body, "run_attempt");
        if (text == null) {
            return 0;
        }
        if (!text.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("run_attempt: '" + text + "' is not a positive number");
        }
        return Integer.parseInt(text);
    }
}

package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One event of {@code GET /v1/events} as one readable line: time, node, verdict, reason, job, source → destination
 * (or the DNS question), the name, then policy, process and HTTP request when the event has them, and why it was
 * not allowed.
 */
final class EventLine {
    private EventLine() {}

    static String render(JsonNode e) {
        List<String> parts = new ArrayList<>();
        parts.add(e.path("ts").asText("-"));
        parts.add(e.path("node").asText("-"));
        parts.add(e.path("verdict").asText("-").toUpperCase(Locale.ROOT));
        parts.add(e.path("kind").asText("-"));
        parts.add(e.path("reason").asText("-"));
        JsonNode job = e.path("job");
        if (job.isObject()) {
            parts.add("[" + job.path("repo").asText("?") + " " + job.path("workflow").asText("?") + "/"
                    + job.path("job").asText("?") + " run " + job.path("run_id").asText("?") + "]");
        }
        if (e.hasNonNull("qname")) {
            parts.add(e.path("src").asText("-") + " asked " + e.path("qname").asText() + " "
                    + e.path("qtype").asText(""));
        } else {
            parts.add(e.path("src").asText("-") + " → " + e.path("dst").asText("-"));
        }
        if (e.hasNonNull("sni")) {
            parts.add("sni=" + e.path("sni").asText());
        } else if (e.hasNonNull("host")) {
            parts.add("host=" + e.path("host").asText());
        }
        JsonNode policy = e.path("policy");
        if (policy.isObject()) {
            parts.add("policy=" + policy.path("name").asText("?") + "@" + policy.path("version").asText("?"));
        }
        JsonNode process = e.path("process");
        if (process.isObject()) {
            String step = process.hasNonNull("step") ? " step=" + quoted(process.path("step").asText()) : "";
            parts.add("process=" + process.path("exe").asText("?") + "[" + process.path("pid").asText("?") + "]"
                    + step);
        }
        JsonNode http = e.path("http");
        if (http.isObject()) {
            parts.add("http=" + http.path("method").asText("?") + " " + http.path("host").asText("")
                    + http.path("path").asText(""));
        }
        if (e.hasNonNull("detail")) {
            parts.add("— " + e.path("detail").asText());
        }
        return String.join(" ", parts);
    }

    private static String quoted(String text) {
        return text.indexOf(' ') >= 0 ? "\"" + text + "\"" : text;
    }
}

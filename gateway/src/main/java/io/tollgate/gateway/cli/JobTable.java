package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Renders the jobs of {@code GET /v1/jobs} as an aligned text table. */
final class JobTable {
    private static final List<String> HEADER =
            List.of("IP", "JOB ID", "REPO", "WORKFLOW", "JOB", "RUN", "RUNNER", "STARTED", "POLICY");

    private JobTable() {}

    static String render(JsonNode jobs) {
        if (jobs.isEmpty()) {
            return "no running jobs\n";
        }
        List<List<String>> rows = new ArrayList<>(List.of(HEADER));
        for (JsonNode job : jobs) {
            JsonNode policy = job.path("policy");
            rows.add(List.of(job.path("ip").asText(), job.path("id").asText(), job.path("repo").asText(),
                    job.path("workflow").asText(), job.path("job").asText(),
                    job.path("run_id").asText() + "/" + job.path("run_attempt").asText(),
                    job.path("runner_name").asText(), job.path("started_at").asText(),
                    policy.isMissingNode() ? "none (blocked)"
                            : policy.path("name").asText() + "@" + policy.path("version").asText() + " ("
                                    + policy.path("mode").asText() + ", from " + policy.path("scope").asText() + ")"));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                out.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}

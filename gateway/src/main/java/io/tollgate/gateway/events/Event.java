package io.tollgate.gateway.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.policy.jobs.Job;
import java.util.List;
import java.util.Optional;

/**
 * One line of the event log (DESIGN.md "Event"): stable snake_case names, absent fields omitted.
 * Fields that later modules fill (agent) stay {@code null} until then.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
        String ts,
        String node,
        String kind,
        String verdict,
        String reason,
        JobRef job,
        String src,
        String dst,
        String sni,
        String host,
        String qname,
        String qtype,
        List<String> answers,
        PolicyRef policy,
        Http http,
        Boolean ech,
        List<String> flags,
        String detail,
        Long bytesUp,
        Long bytesDown,
        Long durationMs) {

    /** The registered job of the source address, absent for an unregistered source. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobRef(String id, String repo, String workflow, String job, String runId) {
        /** The event's {@code job} field: {@code null} (omitted) without a job. */
        public static JobRef of(Optional<Job> job) {
            return job.map(j -> new JobRef(j.id(), j.repo(), j.workflow(), j.job(), j.runId())).orElse(null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyRef(String name, String version) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Http(String method, String path, String host) {}
}

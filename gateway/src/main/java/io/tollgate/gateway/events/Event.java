package io.tollgate.gateway.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.policy.jobs.Job;
import java.util.List;
import java.util.Optional;

/**
 * One line of the event log (DESIGN.md "Event"): stable snake_case names, absent fields omitted.
 * {@code process} comes from agent-lite on the runner (see io.tollgate.gateway.attribution).
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
        Process process,
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

    /** The same event with the runner process that made the connection, under {@code kind}. */
    public Event withProcess(String kind, String at, Process process) {
        return new Event(at, node, kind, verdict, reason, job, src, dst, sni, host, qname, qtype, answers, policy,
                process, http, ech, flags, detail, bytesUp, bytesDown, durationMs);
    }

    /** The runner process behind a connection ({@code step}: the job step's command line, the child of Runner.Worker). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(int pid, int ppid, String exe, List<String> args, String step) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Http(String method, String path, String host) {}
}

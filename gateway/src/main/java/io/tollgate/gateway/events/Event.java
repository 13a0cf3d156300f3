package io.tollgate.gateway.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of the event log (DESIGN.md "Event"): stable snake_case names, absent fields omitted.
 * Fields that later modules fill (job registry, DNS, agent) stay {@code null} until then.
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobRef(String id, String repo, String workflow, String job, String runId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyRef(String name, String version) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Http(String method, String path, String host) {}
}

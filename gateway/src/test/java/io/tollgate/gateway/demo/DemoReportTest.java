package io.tollgate.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's judgement without a sandbox: events and fake-internet records are built by hand. */
class DemoReportTest {
    private static final List<BuildStep> STEPS = SimulatedBuild.steps(Path.of("/tmp/secrets"));
    private static final BuildStep NPM = STEPS.get(0);
    private static final BuildStep EXFIL = STEPS.get(1);

    @Test
    void aRunAsPlannedHasNoProblemsAndSaysNothingReachedTheBlockedHosts() {
        var report = new DemoReport(
                List.of(new StepOutcome(NPM, true, "HTTP 200, 4096 bytes"), new StepOutcome(EXFIL, false, "reset")),
                List.of(event(NPM, "allow", "allowlisted", null), event(EXFIL, "block", "not-allowlisted", "no")),
                List.of(new RecordedRequest(NPM.ip(), 443, "registry.npmjs.org", null, "GET", "/bytes/4096")));

        assertThat(report.problems()).isEmpty();
        assertThat(report.summary()).isEqualTo("2 connections: 1 allowed, 1 blocked; nothing reached attacker.com");
    }

    @Test
    void aBlockedStepThatGotThroughIsAProblem() {
        var report = new DemoReport(List.of(new StepOutcome(EXFIL, true, "HTTP 200, 120 bytes")),
                List.of(event(EXFIL, "allow", "allowlisted", null)),
                List.of(new RecordedRequest(EXFIL.ip(), 443, "attacker.com", null, "POST", "/collect")));

        assertThat(report.problems())
                .anyMatch(p -> p.contains("should have been blocked, but got through"))
                .anyMatch(p -> p.contains(EXFIL.target() + " received the connection"))
                .anyMatch(p -> p.contains("expected block/not-allowlisted, the gateway recorded allow/allowlisted"));
        assertThat(report.summary()).contains("BUT attacker.com received connections that should have been blocked");
    }

    @Test
    void aStepWithoutAnEventIsAProblem() {
        var report = new DemoReport(List.of(new StepOutcome(EXFIL, false, "reset")), List.of(), List.of());

        assertThat(report.problems()).containsExactly(
                "the gateway recorded no event for " + EXFIL.target() + " ('" + EXFIL.title() + "')");
    }

    @Test
    void theTableNamesDestinationsByNameAndPortAndShowsTheReasonWithoutTheAdvice() {
        String longClause = "x".repeat(100);
        var report = new DemoReport(List.of(), List.of(
                event(EXFIL, "block", "not-allowlisted", "attacker.com:443 is not in allowed-endpoints; add it if needed"),
                event(STEPS.get(2), "block", "direct-ip", longClause)), List.of());
        var out = new StringWriter();
        report.print(new PrintWriter(out, true));

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).matches("\\s*VERDICT\\s+REASON\\s+DESTINATION\\s+POLICY\\s+DETAIL");
        assertThat(lines.get(1)).matches(
                "\\s*block\\s+not-allowlisted\\s+attacker\\.com:443\\s+demo-build\\s+attacker.com:443 is not in allowed-endpoints");
        assertThat(lines.get(2)).contains("198.51.100.99:443").endsWith("x…").doesNotContain(longClause);
    }

    private static Event event(BuildStep step, String verdict, String reason, String detail) {
        return new Event("2025-01-01T00:00:00.000000Z", "demo", "tcp", verdict, reason, null, "10.10.0.2",
                step.target(), step.host(), null, null, null, null, new Event.PolicyRef("demo-build", "1"), null, null,
                null, detail, null, null, null);
    }
}

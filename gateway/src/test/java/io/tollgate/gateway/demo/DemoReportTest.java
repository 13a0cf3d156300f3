package io.tollgate.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.RecordedQuery;
import io.tollgate.testbed.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's judgement without a sandbox: outcomes, events and what the internet saw are built by hand. */
class DemoReportTest {
    private static final List<BuildStep> STEPS = SimulatedBuild.steps(Path.of("/tmp/secrets"));
    private static final BuildStep NPM = STEPS.get(0);
    private static final BuildStep EXFIL = STEPS.get(1);
    private static final BuildStep DNS_EXFIL = STEPS.get(4);
    private static final String GATEWAY = "10.20.0.1";
    private static final InternetLog HONEST_INTERNET = new InternetLog(
            List.of(new RecordedRequest("198.51.100.20", 443, "registry.npmjs.org", null, "GET", "/bytes/4096"),
                    new RecordedRequest("198.51.100.10", 443, "github.com", "github.com", "GET", "/")),
            List.of(query("registry.npmjs.org"), query("github.com")), List.of());

    @Test
    void aRunAsPlannedHasNoProblemsAndSaysNothingOfTheAttackersReachedTheInternet() {
        var report = new DemoReport(STEPS.stream().map(DemoReportTest::asPlanned).toList(),
                STEPS.stream().flatMap(step -> step.events().stream()).map(DemoReportTest::recorded).toList(),
                HONEST_INTERNET);

        assertThat(report.problems()).isEmpty();
        assertThat(report.summary()).containsExactly(
                "9 decisions (5 DNS queries, 4 connections): 4 allowed, 5 blocked",
                "reached the internet: registry.npmjs.org and github.com; nothing of the attacker's;"
                        + " the decoy resolver 8.8.8.8 saw no query");
    }

    @Test
    void aBlockedStepThatGotThroughIsAProblem() {
        var report = new DemoReport(List.of(new StepOutcome(EXFIL, true, "HTTP 200, 120 bytes")),
                List.of(dnsEvent("attacker.com", "A", "allow", "allowlisted", null)),
                new InternetLog(List.of(new RecordedRequest("198.51.100.66", 443, "attacker.com", null, "POST", "/collect")),
                        List.of(query("attacker.com")), List.of()));

        assertThat(report.problems()).containsExactly(
                "'" + EXFIL.title() + "' should have been blocked, but HTTP 200, 120 bytes",
                "DNS A attacker.com: expected block/not-allowlisted, the gateway recorded allow/allowlisted",
                "attacker.com (198.51.100.66) received 1 connection",
                "the upstream resolver was asked for attacker.com, which should never have left the gateway");
        assertThat(report.summary().getLast())
                .startsWith("reached the internet: attacker.com; BUT attacker.com is the attacker's");
    }

    @Test
    void anExfiltrationQueryThatReachedUpstreamIsAProblemAndItsPayloadIsCutShortInTheSummary() {
        String qname = SimulatedBuild.EXFIL_LABEL + ".attacker.com";
        var report = new DemoReport(List.of(new StepOutcome(DNS_EXFIL, false, "dig: NXDOMAIN")),
                List.of(dnsEvent(qname, "TXT", "block", "dns-exfil", "no")),
                new InternetLog(List.of(), List.of(new RecordedQuery(qname, "TXT", "udp", GATEWAY)), List.of()));

        assertThat(report.problems()).containsExactly(
                "the upstream resolver was asked for " + qname + ", which should never have left the gateway");
        assertThat(report.summary().getLast()).startsWith("reached the internet: "
                + SimulatedBuild.EXFIL_LABEL.substring(0, 10) + "….attacker.com; BUT");
    }

    @Test
    void aQueryAtTheDecoyResolverIsAProblem() {
        var report = new DemoReport(List.of(), List.of(), new InternetLog(List.of(), List.of(),
                List.of(new RecordedQuery("attacker.com", "A", "udp", "10.10.0.2"))));

        assertThat(report.problems()).containsExactly(
                "the decoy resolver 8.8.8.8 received 1 query: the runner's DNS went around the gateway");
        assertThat(report.summary().getLast()).endsWith("the decoy resolver 8.8.8.8 saw 1 query");
    }

    @Test
    void aStepWithoutItsEventsIsAProblem() {
        var report = new DemoReport(List.of(asPlanned(NPM)), List.of(), HONEST_INTERNET);

        assertThat(report.problems()).containsExactly(
                "the gateway recorded no event for DNS A registry.npmjs.org ('" + NPM.title() + "')",
                "the gateway recorded no event for TCP 198.51.100.20:443 (SNI registry.npmjs.org) ('" + NPM.title() + "')");
    }

    @Test
    void theTableNamesQueriesAndConnectionsAndShowsTheReasonWithoutAdviceOrParenthesis() {
        var report = new DemoReport(List.of(), List.of(
                dnsEvent("attacker.com", "A", "block", "not-allowlisted",
                        "attacker.com is not in allowed-endpoints of policy 'demo-build'; answered NXDOMAIN (...)"),
                new Event("2025-01-01T00:00:00.000000Z", "demo", "dns", "block", "dns-exfil", null, "10.10.0.2", null,
                        null, null, SimulatedBuild.EXFIL_LABEL + ".attacker.com", "TXT", null, null, null, null, null,
                        List.of("long-label", "record-type:TXT"), "long", null, null, null),
                tcpEvent("198.51.100.66:443", "github.com", "block", "sni-ip-mismatch",
                        "github.com is allowlisted, but 198.51.100.66:443 is not one of its addresses (neither ...)"),
                tcpEvent("198.51.100.66:443", null, "block", "direct-ip", "x".repeat(100))), HONEST_INTERNET);
        var out = new StringWriter();
        report.print(new PrintWriter(out, true));

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).matches("\\s*VERDICT\\s+REASON\\s+DESTINATION\\s+DETAIL");
        assertThat(lines.get(1)).matches("\\s*block\\s+not-allowlisted\\s+attacker\\.com \\(DNS A\\)\\s+"
                + "attacker\\.com is not in allowed-endpoints of policy 'demo-build'");
        assertThat(lines.get(2)).matches("\\s*block\\s+dns-exfil\\s+" + SimulatedBuild.EXFIL_LABEL.substring(0, 10)
                + "…\\.attacker\\.com \\(DNS TXT\\)\\s+looks like exfiltration: long-label, record-type:TXT");
        assertThat(lines.get(3)).matches("\\s*block\\s+sni-ip-mismatch\\s+github\\.com:443\\s+"
                + "github\\.com is allowlisted, but 198\\.51\\.100\\.66:443 is not one of its addresses");
        assertThat(lines.get(4)).contains("198.51.100.66:443").endsWith("x…").doesNotContain("x".repeat(100));
    }

    private static StepOutcome asPlanned(BuildStep step) {
        return new StepOutcome(step, step.allowed(), step.allowed() ? "HTTP 200" : "blocked");
    }

    private static Event recorded(ExpectedEvent expected) {
        return "dns".equals(expected.kind())
                ? dnsEvent(expected.name(), expected.target(), expected.verdict(), expected.reason(), null)
                : tcpEvent(expected.target(), expected.name(), expected.verdict(), expected.reason(), null);
    }

    private static Event dnsEvent(String qname, String qtype, String verdict, String reason, String detail) {
        return new Event("2025-01-01T00:00:00.000000Z", "demo", "dns", verdict, reason, null, "10.10.0.2", null, null,
                null, qname, qtype, null, new Event.PolicyRef("demo-build", "1"), null, null, null, null, detail, null, null,
                null);
    }

    private static Event tcpEvent(String dst, String sni, String verdict, String reason, String detail) {
        return new Event("2025-01-01T00:00:00.000000Z", "demo", "tcp", verdict, reason, null, "10.10.0.2", dst, sni,
                null, null, null, null, new Event.PolicyRef("demo-build", "1"), null, null, null, null, detail, null, null,
                null);
    }

    private static RecordedQuery query(String name) {
        return new RecordedQuery(name, "A", "udp", GATEWAY);
    }
}

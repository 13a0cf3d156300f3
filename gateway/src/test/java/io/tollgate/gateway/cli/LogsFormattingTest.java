package io.tollgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code tollgate logs} prints for the lines of {@code GET /v1/events}, and the query it sends. */
class LogsFormattingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BLOCKED_TLS = """
            {"ts":"2026-11-23T14:00:01.000001Z","node":"gw-2","kind":"tcp","verdict":"block",\
            "reason":"not-allowlisted","job":{"id":"j-1","repo":"octo/app","workflow":"CI","job":"build",\
            "run_id":"42"},"src":"10.10.0.5","dst":"198.51.100.66:443","sni":"attacker.com",\
            "policy":{"name":"ci","version":"v3"},"process":{"pid":4242,"ppid":1,"exe":"/usr/bin/curl",\
            "args":["curl","https://attacker.com"],"step":"Run tests"},"detail":"attacker.com is not allowed"}""";

    @Test
    void aBlockedConnectionReadsAsOneLineWithJobProcessAndWhy() throws Exception {
        assertThat(EventLine.render(JSON.readTree(BLOCKED_TLS))).isEqualTo("2026-11-23T14:00:01.000001Z gw-2 BLOCK tcp"
                + " not-allowlisted [octo/app CI/build run 42] 10.10.0.5 → 198.51.100.66:443 sni=attacker.com"
                + " policy=ci@v3 process=/usr/bin/curl[4242] step=\"Run tests\" — attacker.com is not allowed");
    }

    @Test
    void dnsAndHttpsEventsShowTheQuestionAndTheRequest() throws Exception {
        assertThat(EventLine.render(JSON.readTree("""
                {"ts":"t","node":"gw-1","kind":"dns","verdict":"allow","reason":"allowlisted","src":"10.10.0.5",\
                "qname":"github.com","qtype":"AAAA"}"""))).isEqualTo("t gw-1 ALLOW dns allowlisted 10.10.0.5 asked"
                + " github.com AAAA");
        assertThat(EventLine.render(JSON.readTree("""
                {"ts":"t","node":"gw-1","kind":"https","verdict":"detect","reason":"https-foreign-org",\
                "src":"10.10.0.5","dst":"140.82.112.3:443","host":"github.com",\
                "http":{"method":"POST","path":"/other/repo.git/git-receive-pack","host":"github.com"}}""")))
                .isEqualTo("t gw-1 DETECT https https-foreign-org 10.10.0.5 → 140.82.112.3:443 host=github.com"
                        + " http=POST github.com/other/repo.git/git-receive-pack");
    }

    @Test
    void jsonPrintsTheLineAsSentAndAGapGoesToStderr() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            LogsCommand.print(BLOCKED_TLS, true, o, e);
            LogsCommand.print("{\"gap\":{\"lost\":17,\"detail\":\"the stream overwrote them\"}}", true, o, e);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BLOCKED_TLS + "\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tollgate: 17 events were skipped: the stream"
                + " overwrote them\n");
    }

    @Test
    void anErrorLineFromTheGatewayEndsTheCommand() {
        PrintStream nowhere = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LogsCommand.print("{\"error\":\"the cluster's event stream became unavailable\"}",
                false, nowhere, nowhere)).isInstanceOf(CliException.class)
                .hasMessage("the event stream ended: the cluster's event stream became unavailable");
        assertThatThrownBy(() -> LogsCommand.print("not json", false, nowhere, nowhere))
                .isInstanceOf(CliException.class).hasMessageContaining("not JSON");
    }

    @Test
    void optionsBecomeTheQueryOfGetV1Events() {
        LogsCommand logs = new LogsCommand();
        new CommandLine(logs).parseArgs("-f", "--job", "j 1", "--verdict", "block,would-block", "--since", "10m",
                "--gateway", "http://127.0.0.1:9901", "--ca-file", "/etc/tollgate/ca.pem");
        assertThat(logs.query()).isEqualTo("?job=j+1&verdict=block%2Cwould-block&since=10m&follow=true");
        assertThat(logs.api.gateway).isEqualTo("http://127.0.0.1:9901");
        assertThat(logs.api.ca.caFile).hasToString("/etc/tollgate/ca.pem");
        LogsCommand plain = new LogsCommand();
        new CommandLine(plain).parseArgs();
        assertThat(plain.query()).isEmpty();
    }
}

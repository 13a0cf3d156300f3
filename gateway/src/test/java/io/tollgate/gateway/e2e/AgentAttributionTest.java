package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.cli.GatewayProcess;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventJson;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * agent-lite ({@code tollgate agent run}) in the runner namespace, reporting to a real gateway over the runner-facing
 * API with an {@code agent} token, while real clients make connections: the gateway's TCP events carry the process,
 * {@code https} events carry method, host and path read from the clients' TLS writes (OpenSSL and GnuTLS, HTTP/1.1 and
 * HTTP/2), and a write to another GitHub owner than the job's is flagged {@code https-foreign-org}.
 */
@Tag("netns")
class AgentAttributionTest {
    private static final String GATEWAY_API = "http://" + Topology.GATEWAY_RUNNER_IP + ":9901";
    private static final String GATEWAY_API6 = "http://[" + Topology.GATEWAY_RUNNER_IP6 + "]:9901";
    private static final Map<String, String> GITHUB_ENV = Map.of("GITHUB_REPOSITORY", "octo-org/app",
            "GITHUB_WORKFLOW", "CI", "GITHUB_JOB", "build", "GITHUB_RUN_ID", "4242", "GITHUB_RUN_ATTEMPT", "1",
            "RUNNER_NAME", "runner-7");
    private static GatewayFixture fx;
    private static Path agentLog;
    private static Path readerToken;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10", "api.github.com", "198.51.100.11",
                "ipv6.example.org", "2001:db8:1::10"), Set.of("api.github.com"));
        Path registrar = Files.writeString(fx.dir.resolve("registrar.token"), "e2e-registrar-secret\n");
        Path agentToken = Files.writeString(fx.dir.resolve("agent.token"), "e2e-agent-secret\n");
        readerToken = Files.writeString(fx.dir.resolve("reader.token"), "e2e-reader-secret\n");
        fx.startGateway("""
                api:
                  runner-bind: [%s, "%s"]
                  tokens:
                    - {name: runners, role: registrar, token-file: %s}
                    - {name: runner-agent, role: agent, token-file: %s}
                    - {name: ops, role: reader, token-file: %s}
                attribution: {wait: 2s}
                """.formatted(Topology.GATEWAY_RUNNER_IP, Topology.GATEWAY_RUNNER_IP6, registrar, agentToken, readerToken),
                """
                policies:
                  - name: ci
                    sources: [10.10.0.0/24, "fd10::2/128"]
                    allowed-endpoints: |
                      github.com:443
                      api.github.com:443
                      ipv6.example.org:443
                """);
        CommandResult job = fx.runnerTollgate(GITHUB_ENV, "job", "start", "--gateway", GATEWAY_API, "--token-file",
                registrar.toString(), "--state-file", fx.dir.resolve("job.json").toString());
        assertThat(job.exitCode()).as(job.stderr()).isZero();

        agentLog = fx.dir.resolve("agent.log");
        List<String> agent = new ArrayList<>(GatewayProcess.tollgateCommand());
        // dual stack: IPv6 connections are reported from the runner's IPv6 address, to the API's IPv6 address
        agent.addAll(List.of("agent", "run", "--gateway", GATEWAY_API, "--gateway", GATEWAY_API6, "--token-file",
                agentToken.toString()));
        fx.topology.runner().start(agent, agentLog);
        for (int i = 0; i < 300 && !Files.readString(agentLog).contains("agent-lite running"); i++) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(agentLog)).contains("agent-lite running,");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aGrandchildsConnectionCarriesItsProcessAndJobStep() throws Exception {
        // Runner.Worker is simulated by a shell whose argv[0] is set with exec -a; its child is the step shell, whose
        // child curl is the worker's grandchild.
        Path stepPid = fx.dir.resolve("step.pid");
        int before = fx.events().size();
        fx.runner("bash", "-c", "exec -a Runner.Worker bash -c 'bash -c \"echo \\$\\$ > " + stepPid + "; curl -sS"
                + " --max-time 20 --cacert " + fx.ca.certificatePem() + " https://github.com/; true\"; true'")
                .orThrow();

        Event tcp = fx.awaitEventAfter(before, "github.com with its process",
                e -> "tcp".equals(e.kind()) && "github.com".equals(e.sni()) && e.process() != null
                        && e.process().args().contains("https://github.com/"));
        assertThat(tcp.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(tcp.process().ppid()).isEqualTo(Integer.parseInt(Files.readString(stepPid).strip()));
        assertThat(tcp.process().args()).contains("https://github.com/");
        assertThat(tcp.process().step()).startsWith("bash -c echo $$ > ");
        assertThat(tcp.job().repo()).isEqualTo("octo-org/app");

        CommandResult logs = fx.tollgate("logs", "--json", "--gateway", "http://127.0.0.1:9901", "--token-file",
                readerToken.toString());
        assertThat(logs.exitCode()).as(logs.stderr()).isZero();
        List<Event> listed = new ArrayList<>();
        for (String line : logs.stdout().lines().filter(l -> l.startsWith("{")).toList()) {
            listed.add(EventJson.fromLine(line));
        }
        assertThat(listed)
                .as("tollgate logs shows the connection with its process")
                .anyMatch(e -> "github.com".equals(e.sni()) && e.process() != null
                        && e.process().pid() == tcp.process().pid()
                        && "/usr/bin/curl".equals(e.process().exe()));
    }

    @Test
    void anIpv6ConnectionCarriesItsProcess() throws Exception {
        // The gateway holds a connection's event for its process only once the runner's agent has reported from that
        // source address: the first IPv6 connection makes the agent report from the runner's IPv6 address.
        int first = fx.events().size();
        assertThat(fx.curl("-6", "https://ipv6.example.org/first").exitCode()).isZero();
        fx.awaitEventAfter(first, "the first IPv6 request read", e -> "https".equals(e.kind())
                && "/first".equals(e.http().path()) && Topology.RUNNER_IP6.equals(e.src()));
        int before = fx.events().size();
        CommandResult curl = fx.curl("-6", "https://ipv6.example.org/v6-path");
        assertThat(curl.exitCode()).as(curl.stderr()).isZero();
        Event tcp = fx.awaitEventAfter(before, "the IPv6 connection with its process", e -> "tcp".equals(e.kind())
                && "ipv6.example.org".equals(e.sni()) && e.process() != null
                && e.process().args().contains("https://ipv6.example.org/v6-path"));
        assertThat(tcp.src()).isEqualTo(Topology.RUNNER_IP6);
        assertThat(tcp.dst()).isEqualTo("[2001:db8:1::10]:443");
        assertThat(tcp.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(tcp.process().args()).contains("https://ipv6.example.org/v6-path");
        Event https = fx.awaitEventAfter(before, "the request read over IPv6", e -> "https".equals(e.kind())
                && "/v6-path".equals(e.http().path()));
        assertThat(https.src()).isEqualTo(Topology.RUNNER_IP6);
        assertThat(https.process().pid()).isEqualTo(tcp.process().pid());
    }

    @Test
    void aDnsQueryOverUdpCarriesItsProcess() throws Exception {
        int before = fx.events().size();
        fx.runner("dig", "+short", "+tries=1", "+time=5", "@" + Topology.GATEWAY_RUNNER_IP, "api.github.com", "A")
                .orThrow();
        // Other tests' curls resolve api.github.com too, and their dns events can land after `before` (each waits
        // for its process): this one is dig's.
        Event dns = fx.awaitEventAfter(before, "the dns event of dig's query with its process", e -> "dns".equals(
                e.kind()) && "api.github.com".equals(e.qname()) && e.process() != null
                && "/usr/bin/dig".equals(e.process().exe()));
        assertThat(dns.process().args()).contains("api.github.com", "@" + Topology.GATEWAY_RUNNER_IP);
        assertThat(dns.job().repo()).isEqualTo("octo-org/app");
    }

    @Test
    void aPostToAnotherOrgIsFlaggedAndAGetToTheJobsOwnOrgIsNot() throws Exception {
        int before = fx.events().size();
        assertThat(fx.curl("--http1.1", "-X", "POST", "-d", "{\"title\":\"loot\"}",
                "https://api.github.com/repos/other-org/x/issues").exitCode()).isZero();
        assertThat(fx.curl("--http1.1", "https://api.github.com/repos/octo-org/app").exitCode()).isZero();

        Event foreign = fx.awaitEventAfter(before, "https POST to other-org", e -> "https".equals(e.kind())
                && "/repos/other-org/x/issues".equals(e.http().path()));
        assertThat(foreign.verdict()).isEqualTo("detect");
        assertThat(foreign.reason()).isEqualTo("https-foreign-org");
        assertThat(foreign.http().method()).isEqualTo("POST");
        assertThat(foreign.http().host()).isEqualTo("api.github.com");
        assertThat(foreign.job().repo()).isEqualTo("octo-org/app");
        assertThat(foreign.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(foreign.dst()).isEqualTo("198.51.100.11:443");
        assertThat(foreign.detail()).contains("other-org");

        Event own = fx.awaitEventAfter(before, "https GET to octo-org", e -> "https".equals(e.kind())
                && "/repos/octo-org/app".equals(e.http().path()));
        assertThat(own.verdict()).isEqualTo("allow");
        assertThat(own.reason()).isEqualTo("observed");
        assertThat(fx.events().stream().skip(before).filter(e -> e.http() != null))
                .as("the request body is never reported").noneMatch(e -> e.http().toString().contains("loot"));
    }

    @Test
    void http2RequestsAreReadThroughHpack() throws Exception {
        int before = fx.events().size();
        CommandResult h2 = fx.curl("--http2", "-w", "%{http_version}", "-X", "POST", "-d", "x",
                "https://api.github.com/repos/hacker-org/x/issues");
        assertThat(h2.stdout()).endsWith("2");

        Event e = fx.awaitEventAfter(before, "https over HTTP/2", ev -> "https".equals(ev.kind())
                && "/repos/hacker-org/x/issues".equals(ev.http().path()));
        assertThat(e.http().method()).isEqualTo("POST");
        assertThat(e.http().host()).isEqualTo("api.github.com");
        assertThat(e.reason()).isEqualTo("https-foreign-org");
    }

    @Test
    void gnuTlsClientsAreReadToo() throws Exception {
        int before = fx.events().size();
        fx.runner("env", "GIT_SSL_CAINFO=" + fx.ca.certificatePem(), "git", "ls-remote",
                "https://github.com/octo-org/app.git");
        Event git = fx.awaitEventAfter(before, "git over GnuTLS", e -> "https".equals(e.kind())
                && e.http().path().startsWith("/octo-org/app.git/info/refs"));
        assertThat(git.http().method()).isEqualTo("GET");
        assertThat(git.process().exe()).isEqualTo("/usr/lib/git-core/git-remote-https");
        assertThat(git.reason()).isEqualTo("observed");

        fx.runner("bash", "-c", "printf 'POST /repos/hacker-org/x/issues HTTP/1.1\\r\\nHost: api.github.com\\r\\n"
                + "Content-Length: 0\\r\\n\\r\\n' | gnutls-cli --logfile=/dev/null --x509cafile "
                + fx.ca.certificatePem() + " -p 443 api.github.com");
        Event cli = fx.awaitEventAfter(before, "gnutls-cli POST", e -> "https".equals(e.kind())
                && "/repos/hacker-org/x/issues".equals(e.http().path())
                && e.process() != null && "/usr/bin/gnutls-cli".equals(e.process().exe()));
        assertThat(cli.reason()).isEqualTo("https-foreign-org");
    }
}

package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.gateway.cli.GatewayProcess;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventJson;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate logs} against a real gateway process: the events of the runner's connections come back from the
 * cluster's event stream through {@code GET /v1/events}, as JSON and as readable lines, followed live with {@code -f};
 * a wrong token and an unreachable API are refused with a clear message, and runners cannot read the events.
 */
@Tag("netns")
class FleetLogsTest {
    private static final String OPERATOR_API = "http://127.0.0.1:9901";
    private static final String ATTACKER_IP = "198.51.100.66";
    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10", "attacker.com", ATTACKER_IP));
        fx.startGateway(fx.apiWithTokens("reader", "registrar"), """
                policies:
                  - name: ci
                    sources: [10.10.0.0/24]
                    allowed-endpoints: github.com:443
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void logsShowTheFleetsEventsFilteredAsJsonAndAsReadableLinesAndFollowNewOnes() throws Exception {
        assertThat(fx.curl("https://github.com/").exitCode()).isZero();
        assertThat(blockedAttempt().exitCode()).isNotZero();
        Event blocked = fx.awaitEvent("the blocked connection", e -> "attacker.com".equals(e.sni()) && e.job() == null);
        fx.awaitEvent("the allowed connection", e -> "github.com".equals(e.sni()));

        // The file and the stream are written by separate threads: ask again (bounded) until both have every event.
        List<Event> events = new ArrayList<>();
        List<Event> blocks = List.of();
        for (Instant until = Instant.now().plusSeconds(10); Instant.now().isBefore(until); Thread.sleep(200)) {
            CommandResult json = logs("--verdict", "block", "--json");
            assertThat(json.exitCode()).as(json.stderr()).isZero();
            events.clear();
            for (String line : json.stdout().strip().lines().toList()) {
                events.add(EventJson.fromLine(line));
            }
            blocks = fx.events().stream().filter(e -> "block".equals(e.verdict())).toList();
            if (events.size() == blocks.size()) {
                break;
            }
        }
        assertThat(events).contains(blocked).containsExactlyInAnyOrderElementsOf(blocks);

        CommandResult everything = logs("--json");
        assertThat(everything.stdout()).contains("\"sni\":\"github.com\"").contains("\"qname\":\"github.com\"")
                .contains("\"sni\":\"attacker.com\"");

        CommandResult readable = logs("--verdict", "block");
        assertThat(readable.exitCode()).as(readable.stderr()).isZero();
        assertThat(readable.stdout().strip().lines()).hasSize(blocks.size()).contains(blocked.ts()
                + " e2e BLOCK tcp not-allowlisted " + Topology.RUNNER_IP + " → " + ATTACKER_IP
                + ":443 sni=attacker.com policy=ci@" + blocked.policy().version() + " — " + blocked.detail());

        Instant followStarted = Instant.now();
        Path followed = fx.dir.resolve("logs-follow.out");
        List<String> argv = new ArrayList<>(GatewayProcess.tollgateCommand());
        argv.addAll(List.of("logs", "-f", "--verdict", "block", "--json", "--gateway", OPERATOR_API, "--token-file",
                fx.tokenFile("reader").toString()));
        Process follow = fx.topology.gateway().start(argv, followed);
        try {
            // The follower sees events from the moment its request is served; attempt until one arrives.
            Instant deadline = Instant.now().plusSeconds(30);
            while (Files.readString(followed).lines().noneMatch(l -> l.startsWith("{"))) {
                assertThat(Instant.now()).as("`tollgate logs -f` printed nothing: %s", Files.readString(followed))
                        .isBefore(deadline);
                assertThat(follow.isAlive()).as(Files.readString(followed)).isTrue();
                blockedAttempt();
            }
            Event live = EventJson.fromLine(Files.readString(followed).lines().filter(l -> l.startsWith("{"))
                    .findFirst().orElseThrow());
            assertThat(live.sni()).isEqualTo("attacker.com");
            assertThat(live.job()).isNull();
            assertThat(live.verdict()).isEqualTo("block");
            assertThat(Instant.parse(live.ts())).isAfter(followStarted);
        } finally {
            follow.destroy();
        }
    }

    @Test
    void jobShowsOnlyTheEventsOfThatRegisteredJob() throws Exception {
        Path state = fx.dir.resolve("job-state.json");
        CommandResult started = fx.runnerTollgate(Map.of("GITHUB_REPOSITORY", "octo-org/app", "GITHUB_WORKFLOW", "CI",
                "GITHUB_JOB", "build", "GITHUB_RUN_ID", "77", "GITHUB_RUN_ATTEMPT", "1", "RUNNER_NAME", "runner-1"),
                "job", "start", "--gateway", "http://" + Topology.GATEWAY_RUNNER_IP + ":9901", "--token-file",
                fx.tokenFile("registrar").toString(), "--state-file", state.toString());
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        String jobId = new ObjectMapper().readTree(Files.readString(state)).path("id").asText();
        try {
            assertThat(fx.curl("--max-time", "5", "--resolve", "attacker.com:443:" + ATTACKER_IP,
                    "https://attacker.com/job").exitCode()).isNotZero();
            fx.awaitEvent("the job's blocked connection", e -> e.job() != null && jobId.equals(e.job().id()));

            CommandResult r = logs("--job", jobId, "--json");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            List<String> lines = r.stdout().strip().lines().toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                assertThat(EventJson.fromLine(line).job().id()).isEqualTo(jobId);
            }
            assertThat(lines).anyMatch(l -> l.contains("\"sni\":\"attacker.com\""));
        } finally {
            fx.runnerTollgate(Map.of(), "job", "finish", "--token-file", fx.tokenFile("registrar").toString(),
                    "--state-file", state.toString());
        }
    }

    @Test
    void aWrongTokenAndAnUnreachableApiAreRefusedWithAClearMessage() throws Exception {
        Path wrong = Files.writeString(fx.dir.resolve("wrong.token"), "not-a-token\n");
        CommandResult refused = fx.tollgate("logs", "--gateway", OPERATOR_API, "--token-file", wrong.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("reading the events failed (HTTP 401): unknown bearer token")
                .doesNotContain("Exception");

        CommandResult registrar = fx.tollgate("logs", "--gateway", OPERATOR_API, "--token-file",
                fx.tokenFile("registrar").toString());
        assertThat(registrar.exitCode()).isEqualTo(1);
        assertThat(registrar.stderr()).contains("HTTP 403").contains("reader is needed");

        CommandResult unreachable = fx.tollgate("logs", "--gateway", "http://127.0.0.1:9", "--token-file",
                fx.tokenFile("reader").toString());
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.stderr()).contains("cannot reach the gateway API at http://127.0.0.1:9")
                .doesNotContain("Exception");
    }

    @Test
    void runnersCannotReadTheEventsOnTheRunnerFacingAddress() {
        CommandResult r = fx.curl("-H", "Authorization: Bearer " + GatewayFixture.secret("reader"), "-w", "\n%{http_code}",
                "http://" + Topology.GATEWAY_RUNNER_IP + ":9901/v1/events");
        assertThat(r.stdout()).endsWith("404").doesNotContain("\"verdict\"");
    }

    private static CommandResult blockedAttempt() {
        return fx.curl("--max-time", "5", "--resolve", "attacker.com:443:" + ATTACKER_IP, "https://attacker.com/");
    }

    private static CommandResult logs(String... options) {
        List<String> args = new ArrayList<>(List.of("logs", "--gateway", OPERATOR_API, "--token-file",
                fx.tokenFile("reader").toString()));
        args.addAll(List.of(options));
        return fx.tollgate(args.toArray(String[]::new));
    }
}

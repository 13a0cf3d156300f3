package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The operator API of a real gateway process: health from the gateway host, metrics behind a token, none for runners. */
@Tag("netns")
class OperatorApiTest {
    private static final String READER_SECRET = "e2e-reader-secret";
    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10", "attacker.com", "198.51.100.66"));
        Path token = Files.writeString(fx.dir.resolve("ops.token"), READER_SECRET + "\n");
        fx.startGateway("""
                api:
                  tokens: [{name: ops, role: reader, token-file: %s}]
                """.formatted(token), """
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
    void healthAndReadinessAnswerOnLoopbackOfTheGatewayHost() {
        assertThat(api("/healthz", null)).isEqualTo(new Reply(200, "ok"));
        Reply ready = api("/readyz", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ready\":true");
    }

    @Test
    void metricsNeedAReaderTokenAndCountDecisionsAndDnsQueries() {
        assertThat(api("/metrics", null).status()).isEqualTo(401);
        assertThat(api("/metrics", "not-" + READER_SECRET).status()).isEqualTo(401);
        double dnsBefore = sum(metrics(), "tollgate_dns_queries_total{", "");

        CommandResult allowed = fx.curl("https://github.com/");
        assertThat(allowed.exitCode()).as(allowed.stderr()).isZero();
        CommandResult blocked = fx.curl("--resolve", "attacker.com:443:198.51.100.66", "https://attacker.com/");
        assertThat(blocked.exitCode()).isNotZero();

        String text = metrics();
        assertThat(sum(text, "tollgate_connections_total{reason=\"allowlisted\",verdict=\"allow\"}", "")).isGreaterThanOrEqualTo(1);
        assertThat(sum(text, "tollgate_connections_total{", "verdict=\"block\"")).isGreaterThanOrEqualTo(1);
        assertThat(sum(text, "tollgate_dns_queries_total{", "")).isGreaterThan(dnsBefore);
        assertThat(text).contains("tollgate_policy_info{policy=\"ci\"").contains("tollgate_connections_active ")
                .contains("tollgate_decision_seconds_count ").contains("tollgate_relayed_bytes_total{direction=\"down\"}");
    }

    @Test
    void runnersCannotReachTheApiTheirAttemptIsABlockedConnection() throws Exception {
        CommandResult r = fx.curl("--max-time", "5", "http://" + Topology.GATEWAY_RUNNER_IP + ":9901/healthz");
        assertThat(r.exitCode()).as("the API must not answer runners: %s", r.stdout()).isNotZero();
        assertThat(r.stdout()).doesNotContain("ok");
        var event = fx.awaitEvent("the runner's API attempt",
                e -> (Topology.GATEWAY_RUNNER_IP + ":9901").equals(e.dst()));
        assertThat(event.verdict()).isEqualTo("block");
        assertThat(event.src()).isEqualTo(Topology.RUNNER_IP);
    }

    private record Reply(int status, String body) {}

    /** curl from the gateway namespace to the API on its loopback address. */
    private static Reply api(String path, String token) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
        if (token != null) {
            argv.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        argv.add("http://127.0.0.1:9901" + path);
        CommandResult r = fx.topology.gateway().exec(GatewayFixture.CLIENT_TIMEOUT, argv.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        int split = r.stdout().lastIndexOf('\n');
        return new Reply(Integer.parseInt(r.stdout().substring(split + 1).strip()), r.stdout().substring(0, split).strip());
    }

    private static String metrics() {
        Reply r = api("/metrics", READER_SECRET);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The sum of the samples whose series starts with {@code series} and contains {@code label}. */
    private static double sum(String text, String series, String label) {
        return text.lines().filter(line -> line.startsWith(series) && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}

package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A security team pushes a signed repo-scoped policy with {@code tollgate policy push}; the registered job's
 * connections follow it at once, it survives a restart from the node's disk, and a rollback or delete puts the fleet
 * default back. Unsigned and forged policy is refused when the node has a verification key. A central IOC entry blocks
 * every runner as soon as it is added.
 */
@Tag("netns")
class PolicyPushTest {
    private static final String GATEWAY_API = "http://" + Topology.GATEWAY_RUNNER_IP + ":9901";
    private static final String OPERATOR_API = "http://127.0.0.1:9901";
    private static final Map<String, String> GITHUB_ENV = Map.of("GITHUB_REPOSITORY", "acme/widgets",
            "GITHUB_WORKFLOW", "CI", "GITHUB_JOB", "build", "GITHUB_RUN_ID", "77", "GITHUB_RUN_ATTEMPT", "1",
            "RUNNER_NAME", "runner-1");
    private static final String WIDGETS = """
            name: widgets
            scope: {repo: acme/widgets}
            egress-policy: block
            allowed-endpoints: |
              github.com:443
              pypi.org:443
            """;
    private static GatewayFixture fx;
    private static Path admin;
    private static Path reader;
    private static Path key;
    private static String gatewayLines;
    private static String fleetDefault;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10", "pypi.org", "198.51.100.20"));
        key = fx.dir.resolve("fleet");
        CommandResult keygen = fx.tollgate("policy", "keygen", "--out", key.toString());
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
        gatewayLines = fx.apiWithTokens("admin", "reader", "registrar");
        admin = fx.tokenFile("admin");
        reader = fx.tokenFile("reader");
        fleetDefault = """
                policy-store: {dir: %s, verify-key: %s.pub}
                policies:
                  - name: fleet-default
                    sources: [10.10.0.0/24]
                    allowed-endpoints: github.com:443
                """.formatted(fx.dir.resolve("policies"), key);
        startGatewayWithStore();
        registerJob("job.json");
    }

    private static void registerJob(String stateFile) {
        CommandResult job = fx.runnerTollgate(GITHUB_ENV, "job", "start", "--gateway", GATEWAY_API, "--token-file",
                fx.tokenFile("registrar").toString(), "--state-file", fx.dir.resolve(stateFile).toString());
        assertThat(job.exitCode()).as(job.stderr()).isZero();
    }

    private static void startGatewayWithStore() throws Exception {
        fx.startGateway(gatewayLines, fleetDefault);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static CommandResult policy(Path token, String... args) {
        List<String> argv = new ArrayList<>(List.of("policy"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--gateway", OPERATOR_API, "--token-file", token.toString()));
        return fx.tollgate(argv.toArray(String[]::new));
    }

    private static boolean pypiAllowed() throws InterruptedException {
        int before = fx.events().size();
        boolean passed = fx.curl("--max-time", "5", "https://pypi.org/").exitCode() == 0;
        // Allowed: the TCP event; refused: the DNS answer already is NXDOMAIN, so the DNS event says why.
        Event event = fx.awaitEventAfter(before, "pypi.org " + (passed ? "connection" : "refusal"),
                e -> passed ? "pypi.org".equals(e.sni()) : "pypi.org".equals(e.qname()) && "block".equals(e.verdict()));
        assertThat(event.verdict()).isEqualTo(passed ? "allow" : "block");
        return passed;
    }

    private static void awaitPypi(boolean allowed) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pypiAllowed() != allowed) {
            assertThat(System.nanoTime()).as("pypi.org allowed=" + allowed + " in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aPushedRepoPolicyGovernsTheJobSurvivesARestartAndRollsBack() throws Exception {
        assertThat(pypiAllowed()).as("the fleet default does not allow pypi.org").isFalse();
        Path doc = Files.writeString(fx.dir.resolve("widgets.yaml"), WIDGETS);

        CommandResult diff = policy(reader, "diff", doc.toString());
        assertThat(diff.stdout()).as(diff.stderr()).contains("new document: scope repo:acme/widgets");
        CommandResult push = policy(admin, "push", doc.toString(), "--key", key + ".key");
        assertThat(push.exitCode()).as(push.stderr()).isZero();
        assertThat(push.stdout()).contains("policy 'widgets' version 1 (signed) stored");
        awaitPypi(true);
        CommandResult jobs = fx.tollgate("jobs", "--gateway", OPERATOR_API, "--token-file", reader.toString());
        assertThat(jobs.stdout()).as(jobs.stderr()).contains("widgets@").contains("from repo:acme/widgets");

        assertThat(fx.stopGateway()).isEqualTo(143);
        startGatewayWithStore();
        // Jobs live in the cluster's memory only: after a restart of the whole (here one-node) cluster the runner's
        // job falls back to the fleet default until it is registered again.
        assertThat(pypiAllowed()).isFalse();
        registerJob("job-after-restart.json");
        assertThat(pypiAllowed()).as("the pushed policy is back after a restart from disk").isTrue();

        Files.writeString(doc, WIDGETS.replace("  pypi.org:443\n", ""));
        assertThat(policy(reader, "diff", doc.toString()).stdout()).contains("- pypi.org:443");
        assertThat(policy(admin, "push", doc.toString(), "--key", key + ".key").exitCode()).isZero();
        awaitPypi(false);
        CommandResult rollback = policy(admin, "rollback", "widgets", "--to", "1");
        assertThat(rollback.stdout()).as(rollback.stderr()).contains("back in force as version 3");
        awaitPypi(true);
        CommandResult history = policy(reader, "history", "widgets");
        assertThat(history.stdout()).contains("v1").contains("security-team").contains("+ pypi.org:443")
                .contains("rollback to version 1");
        assertThat(policy(admin, "delete", "widgets").exitCode()).isZero();
        awaitPypi(false);
        assertThat(Files.readString(fx.dir.resolve("policies/audit.jsonl")).lines()
                .filter(line -> line.contains("\"name\":\"widgets\""))).hasSize(4);
    }

    @Test
    void aCentralIocEntryBlocksEveryRunnerUntilItIsRemoved() throws Exception {
        assertThat(fx.curl("https://github.com/").exitCode()).isZero();
        CommandResult add = ioc("{\"domains\": [\"github.com\"]}");
        assertThat(add.stdout()).as(add.stderr()).contains("\"version\":1").contains("+ github.com");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fx.curl("--max-time", "5", "https://github.com/").exitCode() == 0) {
            assertThat(System.nanoTime()).as("the IOC entry in force in time").isLessThan(deadline);
            Thread.sleep(100);
        }
        Event blocked = fx.awaitEvent("github.com refused as IOC",
                e -> "github.com".equals(e.qname()) && "ioc".equals(e.reason()));
        assertThat(blocked.verdict()).isEqualTo("block");

        CommandResult remove = ioc("{\"remove\": [\"github.com\"]}");
        assertThat(remove.stdout()).contains("\"version\":2").contains("- github.com");
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fx.curl("--max-time", "5", "https://github.com/").exitCode() != 0) {
            assertThat(System.nanoTime()).as("the IOC entry removed in time").isLessThan(deadline);
            Thread.sleep(100);
        }
        CommandResult bad = ioc("{\"ips\": [\"not-an-address\"]}");
        assertThat(bad.stdout()).contains("not-an-address");
    }

    private static CommandResult ioc(String body) {
        return fx.topology.gateway().exec(GatewayFixture.CLIENT_TIMEOUT, "curl", "-sS", "-X", "POST", "-H",
                "Authorization: Bearer e2e-admin-secret", "-H", "Content-Type: application/json", "--data", body,
                OPERATOR_API + "/v1/ioc");
    }

    @Test
    void unsignedForgedMalformedAndUnauthorisedPolicyIsRefusedClearly() throws Exception {
        Path doc = Files.writeString(fx.dir.resolve("gadgets.yaml"), WIDGETS.replace("name: widgets", "name: gadgets")
                .replace("acme/widgets", "acme/gadgets"));
        CommandResult unsigned = policy(admin, "push", doc.toString());
        assertThat(unsigned.exitCode()).isEqualTo(1);
        assertThat(unsigned.stderr()).contains("HTTP 403").contains("is not signed").doesNotContain("Exception");

        Path otherKey = fx.dir.resolve("other");
        assertThat(fx.tollgate("policy", "keygen", "--out", otherKey.toString()).exitCode()).isZero();
        CommandResult forged = policy(admin, "push", doc.toString(), "--key", otherKey + ".key");
        assertThat(forged.stderr()).contains("HTTP 403").contains("does not verify");

        CommandResult fromRunner = fx.curl("-s", "-w", "%{http_code}", "-X", "PUT", "-H", "Authorization: Bearer"
                + " e2e-admin-secret", "--data-binary", "@" + doc, GATEWAY_API + "/v1/policies/gadgets");
        assertThat(fromRunner.stdout()).as("a job cannot touch policy, even with an admin token").endsWith("404");

        CommandResult byReader = policy(reader, "push", doc.toString(), "--key", key + ".key");
        assertThat(byReader.stderr()).contains("HTTP 403");
        CommandResult badToken = policy(fx.tokenFile("registrar"), "list");
        assertThat(badToken.exitCode()).isEqualTo(1);
        assertThat(badToken.stderr()).contains("HTTP 403");

        Path malformed = Files.writeString(fx.dir.resolve("bad.yaml"), "name: bad\nscope: cluster\n"
                + "allowed-endpoints: |\n  github.com:443\n  *.com:443\n");
        CommandResult validate = fx.tollgate("policy", "validate", malformed.toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.stderr()).contains(malformed + " allowed-endpoints line 5: '*.com:443'");
    }
}

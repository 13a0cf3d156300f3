package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.cli.GatewayProcess;
import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A runner registers its job with {@code tollgate job start} on the gateway's runner-facing API address, its events
 * carry the job until {@code tollgate job finish}; nothing else of the gateway becomes reachable for runners.
 */
@Tag("netns")
class JobRegistrationTest {
    private static final String GATEWAY_API = "http://" + Topology.GATEWAY_RUNNER_IP + ":9901";
    private static final Map<String, String> GITHUB_ENV = Map.of("GITHUB_REPOSITORY", "octo-org/app",
            "GITHUB_WORKFLOW", "CI", "GITHUB_JOB", "build", "GITHUB_RUN_ID", "4242", "GITHUB_RUN_ATTEMPT", "1",
            "RUNNER_NAME", "runner-7");
    private static GatewayFixture fx;
    private static Path stateFile;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10", "attacker.com", "198.51.100.66"));
        stateFile = fx.dir.resolve("runner-temp/tollgate-job.json");
        Files.createDirectories(stateFile.getParent());
        fx.startGateway(fx.apiWithTokens("registrar", "reader"), """
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
    void aRegisteredJobIsOnItsRunnersEventsUntilItFinishes() throws Exception {
        CommandResult started = jobStart();
        assertThat(started.exitCode()).as(started.stderr() + fx.gatewayLog()).isZero();
        assertThat(started.stdout()).contains("registered for " + Topology.RUNNER_IP);
        assertThat(Files.readString(stateFile)).contains("finish_secret");

        CommandResult list = fx.tollgate("jobs", "--gateway", "http://127.0.0.1:9901", "--token-file",
                fx.tokenFile("reader").toString());
        assertThat(list.stdout()).as(list.stderr()).contains(Topology.RUNNER_IP).contains("octo-org/app")
                .contains("4242/1").contains("ci@");

        int before = fx.events().size();
        assertThat(fx.curl("https://github.com/").exitCode()).isZero();
        assertThat(fx.curl("--resolve", "attacker.com:443:198.51.100.66", "https://attacker.com/").exitCode())
                .isNotZero();
        Event allowed = fx.awaitEventAfter(before, "allowed github.com", e -> "github.com".equals(e.sni()));
        Event blocked = fx.awaitEventAfter(before, "blocked attacker.com", e -> "attacker.com".equals(e.sni()));
        Event dns = fx.awaitEventAfter(before, "DNS for github.com", e -> "github.com".equals(e.qname()));
        assertThat(allowed.verdict()).isEqualTo("allow");
        assertThat(blocked.verdict()).isEqualTo("block");
        assertThat(fx.gatewayLog()).contains("BLOCK tcp " + Topology.RUNNER_IP + " [octo-org/app CI/build run 4242] ->"
                + " 198.51.100.66:443");
        for (Event e : List.of(allowed, blocked, dns)) {
            assertThat(e.job()).as(e.toString()).isNotNull();
            assertThat(e.job().id()).isNotBlank();
            assertThat(List.of(e.job().repo(), e.job().workflow(), e.job().job(), e.job().runId()))
                    .containsExactly("octo-org/app", "CI", "build", "4242");
        }

        CommandResult again = jobStart();
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("409").contains("already holds live job").doesNotContain("Exception");

        CommandResult finished = fx.runnerTollgate(Map.of(), "job", "finish", "--token-file",
                fx.tokenFile("registrar").toString(), "--state-file", stateFile.toString());
        assertThat(finished.exitCode()).as(finished.stderr()).isZero();
        assertThat(stateFile).doesNotExist();

        int afterFinish = fx.events().size();
        assertThat(fx.curl("https://github.com/").exitCode()).isZero();
        Event later = fx.awaitEventAfter(afterFinish, "github.com after finishing", e -> "github.com".equals(e.sni()));
        assertThat(later.job()).isNull();
        assertThat(later.policy().name()).isEqualTo("ci");
    }

    @Test
    void theShippedRunnerHooksRegisterAndFinishTheJob() throws Exception {
        // The hooks call $TOLLGATE; during the build the launcher's jar does not exist yet, so a one-line wrapper
        // runs the same CLI from the test's classpath.
        Path wrapper = fx.dir.resolve("tollgate-wrapper.sh");
        Files.writeString(wrapper, "#!/bin/sh\nexec " + GatewayProcess.tollgateCommand().stream()
                .map(arg -> "'" + arg + "'").collect(Collectors.joining(" ")) + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path runnerTemp = Files.createDirectories(fx.dir.resolve("hook-runner-temp"));
        Map<String, String> env = new HashMap<>(GITHUB_ENV);
        env.putAll(Map.of("TOLLGATE", wrapper.toString(), "TOLLGATE_GATEWAY", GATEWAY_API, "TOLLGATE_TOKEN_FILE",
                fx.tokenFile("registrar").toString(), "RUNNER_TEMP", runnerTemp.toString()));

        CommandResult started = hook(env, "hooks/job-started.sh");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        assertThat(started.stdout()).contains("registered for " + Topology.RUNNER_IP);
        assertThat(runnerTemp.resolve("tollgate-job.json")).exists();
        CommandResult list = fx.tollgate("jobs", "--gateway", "http://127.0.0.1:9901", "--token-file",
                fx.tokenFile("reader").toString());
        assertThat(list.stdout()).contains("octo-org/app");

        CommandResult completed = hook(env, "hooks/job-completed.sh");
        assertThat(completed.exitCode()).as(completed.stderr()).isZero();
        assertThat(runnerTemp.resolve("tollgate-job.json")).doesNotExist();
        assertThat(fx.tollgate("jobs", "--gateway", "http://127.0.0.1:9901", "--token-file", fx.tokenFile("reader").toString())
                .stdout()).contains("no running jobs");
    }

    private static CommandResult hook(Map<String, String> env, String script) {
        List<String> argv = new ArrayList<>(List.of("env"));
        env.forEach((name, value) -> argv.add(name + "=" + value));
        argv.addAll(List.of("sh", Path.of(script).toAbsolutePath().toString()));
        return fx.runner(argv.toArray(String[]::new));
    }

    @Test
    void aRunnerCannotRegisterAnotherAddress() {
        CommandResult r = fx.runnerTollgate(GITHUB_ENV, "job", "start", "--gateway", GATEWAY_API, "--token-file",
                fx.tokenFile("registrar").toString(), "--ip", "10.10.0.99", "--state-file", fx.dir.resolve("other.json").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("403").contains("only by its own runner").doesNotContain("Exception");
    }

    @Test
    void theClusterMemberListensOnLoopbackOnly() {
        CommandResult listening = fx.topology.gateway().exec(GatewayFixture.CLIENT_TIMEOUT, "ss", "-Hltn");
        assertThat(listening.stdout().lines().filter(line -> line.contains(":5701 ")))
                .singleElement(InstanceOfAssertFactories.STRING).contains("127.0.0.1]:5701");
    }

    @Test
    void runnersReachOnlyJobRegistrationEveryOtherGatewayPortStaysIntercepted() throws Exception {
        CommandResult metrics = fx.curl("-w", "%{http_code}", GATEWAY_API + "/metrics");
        assertThat(metrics.stdout()).endsWith("404").doesNotContain("tollgate_");

        for (int port : new int[] {15053, 22, 5701}) {
            CommandResult r = fx.curl("--max-time", "5", "http://" + Topology.GATEWAY_RUNNER_IP + ":" + port + "/");
            assertThat(r.exitCode()).as("port %d", port).isNotZero();
            Event e = fx.awaitEvent("the runner's attempt on port " + port,
                    ev -> (Topology.GATEWAY_RUNNER_IP + ":" + port).equals(ev.dst()));
            assertThat(e.verdict()).isEqualTo("block");
            assertThat(e.reason()).isEqualTo("direct-ip");
        }
    }

    private static CommandResult jobStart() {
        return fx.runnerTollgate(GITHUB_ENV, "job", "start", "--gateway", GATEWAY_API, "--token-file",
                fx.tokenFile("registrar").toString(), "--state-file", stateFile.toString());
    }
}

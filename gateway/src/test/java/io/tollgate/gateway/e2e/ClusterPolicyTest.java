package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The policy store across three real nodes: a document pushed to node 0 is enforced by every node, stays in force
 * when a node is killed, and comes back from the nodes' disks after the whole cluster was stopped.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPolicyTest {
    private static final Map<String, String> GITHUB_ENV = Map.of("GITHUB_REPOSITORY", "acme/widgets",
            "GITHUB_WORKFLOW", "CI", "GITHUB_JOB", "build", "GITHUB_RUN_ID", "31", "GITHUB_RUN_ATTEMPT", "1",
            "RUNNER_NAME", "runner-1");
    private static final String WIDGETS = """
            name: widgets
            scope: {repo: acme/widgets}
            allowed-endpoints: |
              github.com:443
              pypi.org:443
            """;
    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.createCluster(3, Map.of("github.com", "198.51.100.10", "pypi.org", "198.51.100.20"));
        fx.startCluster(fx.apiWithTokens("admin", "registrar"), """
                policies:
                  - name: fleet-default
                    sources: [10.10.0.0/24]
                    allowed-endpoints: github.com:443
                """);
        fx.routeRunner(0, 0);
        registerJob("job-1.json");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static void registerJob(String stateFile) {
        CommandResult job = fx.runnerTollgate(GITHUB_ENV, "job", "start", "--gateway",
                "http://" + fx.node(0).runnerIp() + ":9901", "--token-file", fx.tokenFile("registrar").toString(), "--state-file",
                fx.dir.resolve(stateFile).toString());
        assertThat(job.exitCode()).as(job.stderr()).isZero();
    }

    /** Whether pypi.org answers the runner when its DNS and TCP go through node {@code via}. */
    private static boolean pypiThrough(int via) {
        fx.routeRunner(via, via);
        return fx.curl("--max-time", "5", "https://pypi.org/").exitCode() == 0;
    }

    private static void awaitPypiThrough(int via, boolean allowed) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (pypiThrough(via) != allowed) {
            assertThat(System.nanoTime()).as("pypi.org allowed=%s through node %d\n%s", allowed, via, fx.logs())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    void aPolicyPushedToOneNodeIsEnforcedByEveryNode() throws Exception {
        for (int via = 0; via < 3; via++) {
            assertThat(pypiThrough(via)).as("the fleet default on node %d", via).isFalse();
        }
        Path doc = Files.writeString(fx.dir.resolve("widgets.yaml"), WIDGETS);
        CommandResult push = fx.node(0).tollgate("policy", "push", doc.toString(), "--gateway",
                "http://127.0.0.1:9901", "--token-file", fx.tokenFile("admin").toString());
        assertThat(push.exitCode()).as(push.stderr()).isZero();
        for (int via = 0; via < 3; via++) {
            awaitPypiThrough(via, true);
        }
        for (int node = 0; node < 3; node++) {
            assertThat(fx.node(node).log()).contains("policy 'widgets' version 1 (put by security-team");
        }
    }

    @Test
    @Order(2)
    void killingANodeLosesNoPolicyAndNoJob() throws Exception {
        fx.node(1).kill();
        awaitPypiThrough(2, true);
        awaitPypiThrough(0, true);
        assertThat(fx.curl("--max-time", "5", "--resolve", "attacker.example:443:198.51.100.66",
                "https://attacker.example/").exitCode()).as("still blocked after the kill").isNotZero();
    }

    @Test
    @Order(3)
    void aStoppedClusterComesBackWithItsPolicyFromTheNodesDisks() throws Exception {
        fx.stopCluster();
        fx.restartCluster();
        registerJob("job-2.json");
        awaitPypiThrough(2, true);
        CommandResult history = fx.node(1).tollgate("policy", "history", "widgets", "--gateway",
                "http://127.0.0.1:9901", "--token-file", fx.tokenFile("admin").toString());
        assertThat(history.stdout()).as(history.stderr()).contains("v1").contains("security-team");
    }
}

package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real gateway nodes in one Hazelcast cluster on the testbed's cluster network. The runner's DNS goes through
 * node 0 and its TCP through node 1 (then node 2): bindings learned by one node's dns-firewall are honoured by the
 * others, nothing of the cluster is reachable for the runner, and a node killed with SIGKILL loses no job or binding
 * while the runner keeps connecting, with no blocked connection ever let through.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final String GITHUB_IP = "198.51.100.10";
    private static final String GIT_IP = "198.51.100.20";
    private static final String ATTACKER_IP = "198.51.100.66";
    private static final String BANNER = "SSH-2.0-testbed\r\n";
    private static final Map<String, String> GITHUB_ENV = Map.of("GITHUB_REPOSITORY", "octo-org/app",
            "GITHUB_WORKFLOW", "CI", "GITHUB_JOB", "build", "GITHUB_RUN_ID", "777", "GITHUB_RUN_ATTEMPT", "1",
            "RUNNER_NAME", "runner-1");
    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.createCluster(3, Map.of("github.com", GITHUB_IP, "git.example.org", GIT_IP,
                "attacker.com", ATTACKER_IP));
        fx.internet.serveEcho(GIT_IP, 22);
        fx.internet.serveEcho(ATTACKER_IP, 22);
        fx.startCluster(fx.apiWithTokens("registrar", "reader"), """
                policies:
                  - name: ci
                    sources: [10.10.0.0/24]
                    allowed-endpoints: |
                      github.com:443
                      git.example.org:22
                """);
        fx.routeRunner(0, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    @Order(1)
    void aBindingLearnedByNodeZerosDnsLetsRawTcpThroughNodeOneAndADirectIpStaysBlocked() throws Exception {
        assertThat(dig("git.example.org")).isEqualTo(GIT_IP);
        fx.node(0).awaitEventAfter(0, "the DNS answer on node 0", e -> "git.example.org".equals(e.qname()));

        assertThat(banner(GIT_IP)).as("raw TCP to the address node 0 bound, through node 1\n" + fx.logs())
                .isEqualTo(BANNER);
        Event passed = fx.node(1).awaitEventAfter(0, "the raw connection on node 1",
                e -> (GIT_IP + ":22").equals(e.dst()));
        assertThat(passed.verdict()).isEqualTo("allow");
        assertThat(passed.node()).isEqualTo("node-1");

        assertThat(banner(ATTACKER_IP)).as("raw TCP to an address nobody resolved").isEmpty();
        assertThat(fx.node(1).awaitEventAfter(0, "the direct-IP block on node 1",
                e -> (ATTACKER_IP + ":22").equals(e.dst())).verdict()).isEqualTo("block");

        assertThat(fx.curl("https://github.com/").exitCode()).as("an allowed name through node 1").isZero();
        assertThat(fx.curl("--resolve", "attacker.com:443:" + ATTACKER_IP, "https://attacker.com/").exitCode())
                .isNotZero();
        assertThat(fx.node(0).events()).noneMatch(e -> "tcp".equals(e.kind()));
    }

    @Test
    @Order(2)
    void theRunnerCannotOpenAnyNodesClusterPortNorAnyGatewayPortButTheIntercepted() throws Exception {
        for (int i = 0; i < fx.nodeCount(); i++) {
            GatewayFixture.Node node = fx.node(i);
            CommandResult listening = node.ns().exec(GatewayFixture.CLIENT_TIMEOUT, "ss", "-Hltn");
            assertThat(listening.stdout().lines().filter(line -> line.contains(":5701 ")).toList())
                    .as("node %d listens for the cluster on its cluster address only", i)
                    .singleElement().asString().contains(node.clusterIp() + "]:5701");
            for (String target : List.of(node.clusterIp() + ":5701", node.runnerIp() + ":5701",
                    node.runnerIp() + ":15001", node.runnerIp() + ":15053")) {
                CommandResult r = fx.curl("--max-time", "5", "http://" + target + "/");
                assertThat(r.exitCode()).as("runner -> %s: %s", target, r.stdout()).isNotZero();
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int blocked = blockedClusterPortAttempts();
        while (blocked < 6 && System.nanoTime() < deadline) {
            Thread.sleep(50); // events reach the files asynchronously
            blocked = blockedClusterPortAttempts();
        }
        assertThat(blocked).as("every attempt on a cluster port was intercepted and blocked").isEqualTo(6);
        assertThat(fx.runner("ip", "-o", "addr").stdout()).doesNotContain("10.30.0.");
    }

    @Test
    @Order(3)
    void killingANodeLosesNoJobOrBindingAndNeverLetsABlockedConnectionThrough() throws Exception {
        CommandResult started = fx.runnerTollgate(GITHUB_ENV, "job", "start", "--gateway",
                "http://" + Topology.GATEWAY_RUNNER_IP + ":9901", "--token-file", fx.tokenFile("registrar").toString(),
                "--state-file", fx.dir.resolve("job.json").toString());
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        assertThat(dig("git.example.org")).isEqualTo(GIT_IP);

        Probe probe = new Probe();
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> fx.topology.runner().call(probe::run));
        try {
            probe.awaitRounds(3);
            long killedAt = System.nanoTime();
            fx.node(0).kill(); // the node that answered the DNS and took the job
            probe.awaitRounds(probe.rounds() + 3);
            fx.routeRunner(0, 2); // node 2 has never seen this runner: everything it knows comes from the cluster
            probe.markFailover();
            long firstPassAt = probe.awaitAllowedAfterFailover();
            probe.awaitRounds(probe.rounds() + 5);
            System.out.printf("cluster failover: first allowed connection through node 2 %d ms after node 0 was"
                    + " killed; %s%n", (firstPassAt - killedAt) / 1_000_000, probe);
        } finally {
            probe.stop();
            loop.join();
        }
        assertThat(probe.blockedTargetAllowed.get()).as("connections the policy blocks that got through: " + probe)
                .isZero();
        assertThat(probe.allowedAfterFailover.get()).as(probe.toString()).isPositive();
        assertThat(probe.lastAllowedTargetPassed.get()).as("the last connection to the bound address passed: " + probe)
                .isTrue();

        Event onNodeTwo = fx.node(2).awaitEventAfter(0, "the bound address through node 2",
                e -> (GIT_IP + ":22").equals(e.dst()) && "allow".equals(e.verdict()));
        assertThat(onNodeTwo.job()).as("node 2 knows the job node 0 registered").isNotNull();
        assertThat(onNodeTwo.job().runId()).isEqualTo("777");
        CommandResult jobs = fx.node(2).tollgate("jobs", "--gateway", "http://127.0.0.1:9901", "--token-file",
                fx.tokenFile("reader").toString());
        assertThat(jobs.stdout()).as(jobs.stderr()).contains(Topology.RUNNER_IP).contains("octo-org/app");

        fx.node(0).restart();
        CommandResult rejoined = fx.node(0).tollgate("jobs", "--gateway", "http://127.0.0.1:9901", "--token-file",
                fx.tokenFile("reader").toString());
        assertThat(rejoined.stdout()).as("the restarted node rejoins and sees the job: " + rejoined.stderr())
                .contains(Topology.RUNNER_IP);
    }

    private static int blockedClusterPortAttempts() {
        int blocked = 0;
        for (int i = 0; i < fx.nodeCount(); i++) {
            blocked += (int) fx.node(i).events().stream()
                    .filter(e -> e.dst() != null && e.dst().endsWith(":5701") && "block".equals(e.verdict())).count();
        }
        return blocked;
    }

    /** The runner's connections in a loop: one to the address it resolved, one to an address it never resolved. */
    private static final class Probe {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger rounds = new AtomicInteger();
        final AtomicInteger allowedTargetPassed = new AtomicInteger();
        final AtomicInteger allowedTargetRefused = new AtomicInteger();
        final AtomicInteger blockedTargetAllowed = new AtomicInteger();
        final AtomicInteger blockedTargetRefused = new AtomicInteger();
        final AtomicInteger allowedAfterFailover = new AtomicInteger();
        final AtomicBoolean lastAllowedTargetPassed = new AtomicBoolean();
        final AtomicBoolean failedOver = new AtomicBoolean();
        final List<Long> passesAfterFailover = new ArrayList<>();

        Void run() throws IOException {
            while (running.get()) {
                boolean passed = BANNER.equals(rawBanner(GIT_IP));
                (passed ? allowedTargetPassed : allowedTargetRefused).incrementAndGet();
                lastAllowedTargetPassed.set(passed);
                if (passed && failedOver.get()) {
                    allowedAfterFailover.incrementAndGet();
                    synchronized (passesAfterFailover) {
                        passesAfterFailover.add(System.nanoTime());
                    }
                }
                boolean leaked = !rawBanner(ATTACKER_IP).isEmpty();
                (leaked ? blockedTargetAllowed : blockedTargetRefused).incrementAndGet();
                rounds.incrementAndGet();
            }
            return null;
        }

        int rounds() {
            return rounds.get();
        }

        void awaitRounds(int n) throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (rounds.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        void markFailover() {
            failedOver.set(true);
        }

        long awaitAllowedAfterFailover() throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                synchronized (passesAfterFailover) {
                    if (!passesAfterFailover.isEmpty()) {
                        return passesAfterFailover.getFirst();
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no allowed connection through node 2 within 20 s: " + this + "\n" + fx.logs());
        }

        void stop() {
            running.set(false);
        }

        @Override
        public String toString() {
            return "bound address: " + allowedTargetPassed + " passed, " + allowedTargetRefused + " refused;"
                    + " unresolved address: " + blockedTargetAllowed + " passed, " + blockedTargetRefused + " refused;"
                    + " " + rounds + " rounds";
        }
    }

    private static String dig(String name) {
        return fx.runner("dig", "+short", "+tries=1", "+time=3", "@" + GatewayFixture.HARD_CODED_RESOLVER_IP, name,
                "A").stdout().strip();
    }

    private static String banner(String ip) {
        return fx.topology.runner().call(() -> rawBanner(ip));
    }

    /** Raw TCP (no name): the client speaks first, so the gateway decides without waiting for its peek timeout. */
    private static String rawBanner(String ip) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, 22), 3_000);
            s.setSoTimeout(3_000);
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(BANNER.length()), StandardCharsets.US_ASCII);
        } catch (IOException refusedOrReset) {
            return "";
        }
    }
}

package io.tollgate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.agent.report.ConnectionAttribution;
import io.tollgate.testbed.NetNs;
import io.tollgate.testbed.RootCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel: the agent watches one network namespace while curl connects inside it and, at the same time, in a
 * second namespace the agent must not report.
 */
@Tag("netns")
class AgentConnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private NetNs runner;
    private NetNs other;
    private Agent agent;
    private final CollectingSink sink = new CollectingSink();

    @BeforeEach
    void start() {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        runner = NetNs.create("agent-run");
        other = NetNs.create("agent-oth");
        agent = Agent.start(Path.of("/run/netns", runner.name()), sink, line -> { });
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (runner != null) {
            runner.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void attributesAGrandchildsConnectToItsProcessAndJobStep() throws Exception {
        assertThat(agent.problems()).isEmpty();
        runner.start(List.of("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo ok"), tmp.resolve("socat.log"));
        other.start(List.of("socat", "TCP-LISTEN:8081,fork,reuseaddr", "SYSTEM:echo ok"), tmp.resolve("other.log"));
        waitForListener(runner, 8080);
        waitForListener(other, 8081);

        // "Runner.Worker" (argv[0] set with exec -a, as the GitHub runner's worker would be) runs a step shell that
        // runs curl: curl is the worker's grandchild.
        Path pidFile = tmp.resolve("step.pid");
        runner.execOrThrow(WAIT, "bash", "-c", "exec -a Runner.Worker bash -c 'bash -c \"echo \\$\\$ > " + pidFile
                + "; curl -s --http0.9 --max-time 5 http://127.0.0.1:8080/; true\"; true'");
        other.exec(WAIT, "curl", "-s", "--http0.9", "--max-time", "5", "http://127.0.0.1:8081/"); // only its connect matters

        ConnectionAttribution seen = sink.awaitConnection(c -> c.tuple().destinationPort() == 8080, WAIT);
        int stepPid = Integer.parseInt(Files.readString(pidFile).strip());
        assertThat(seen.tuple().protocol()).isEqualTo("tcp");
        assertThat(seen.tuple().destination().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(seen.tuple().sourcePort()).isPositive();
        assertThat(seen.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(seen.process().args()).contains("http://127.0.0.1:8080/");
        assertThat(seen.process().ppid()).isEqualTo(stepPid);
        assertThat(seen.process().step()).startsWith("bash -c echo $$ > ");
        Thread.sleep(300);
        assertThat(sink.connections).noneMatch(c -> c.tuple().destinationPort() == 8081);
    }

    private static void waitForListener(NetNs ns, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ns.exec(WAIT, "bash", "-c", "ss -ltn | grep -q ':" + port + " '").succeeded()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on " + port + " in " + ns);
    }

    @Test
    void survivesTenThousandShortConnectionsLosingAtMostOnePercentWithoutGrowing() throws Exception {
        int connections = 10_000;
        java.net.ServerSocket server = runner.call(() -> new java.net.ServerSocket(9090, 4096,
                java.net.InetAddress.getByName("127.0.0.1")));
        Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        try {
            runner.execOrThrow(Duration.ofSeconds(120), "bash", "-c", "for i in $(seq " + connections + "); do"
                    + " exec 3<>/dev/tcp/127.0.0.1/9090; exec 3>&-; done");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (count(9090) < connections && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long attributed = count(9090);
            System.out.printf("agent-lite: %d of %d short connections attributed (%.2f %% lost)%n", attributed,
                    connections, 100.0 * (connections - attributed) / connections);
            assertThat(attributed).isGreaterThanOrEqualTo(connections * 99L / 100);
            assertThat(sink.connections).filteredOn(c -> c.tuple().destinationPort() == 9090)
                    .allMatch(c -> "/usr/bin/bash".equals(c.process().exe()) || "/bin/bash".equals(c.process().exe()));
        } finally {
            server.close();
            acceptor.join(1000);
        }
    }

    private long count(int port) {
        return sink.connections.stream().filter(c -> c.tuple().destinationPort() == port).count();
    }
}

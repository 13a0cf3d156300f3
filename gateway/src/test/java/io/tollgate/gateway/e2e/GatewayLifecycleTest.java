package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Starting, stopping, crashing and restarting a gateway: it never turns into an open router. */
@Tag("netns")
class GatewayLifecycleTest {
    private static final String POLICY = """
            policies:
              - name: ci
                sources: [10.10.0.0/24]
                allowed-endpoints: github.com:443
            """;
    private GatewayFixture fx;

    @BeforeEach
    void create() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10"));
    }

    @AfterEach
    void close() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void stoppedGatewayKeepsTheForwardingGuardUntilUninstalled() throws Exception {
        // Give the internet a way back to the runners, so that plain routing would work: only the guard can stop it.
        fx.topology.internet().execOrThrow(GatewayFixture.CLIENT_TIMEOUT, "ip", "route", "add", "10.10.0.0/24", "via",
                Topology.GATEWAY_UPSTREAM_IP);
        assertThat(curlGithub().exitCode()).as("without any gateway the namespace routes like a plain router").isZero();

        fx.startGateway(POLICY);
        assertThat(curlGithub().exitCode()).isZero();
        assertThat(fx.stopGateway()).as("a JVM ended by SIGTERM exits with 128 + 15 after its shutdown hook").isEqualTo(143);

        assertThat(nft("list", "table", "inet", "tollgate").exitCode()).as("interception removed").isNotZero();
        assertThat(nft("list", "table", "inet", "tollgate_guard").exitCode()).as("guard kept").isZero();
        assertThat(curlGithub().exitCode()).as("a stopped gateway forwards nothing").isNotZero();
        assertThat(fx.gatewayLog()).contains("the forwarding guard stays in place");

        CommandResult uninstall = fx.tollgate("gateway", "uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.stderr()).isZero();
        assertThat(curlGithub().exitCode()).as("uninstall is the explicit way to open the door").isZero();
    }

    @Test
    void crashedGatewayFailsClosedAndARestartReplacesItsRules() throws Exception {
        fx.startGateway(POLICY);
        fx.crashGateway();
        assertThat(nft("list", "table", "inet", "tollgate").exitCode()).isZero();
        assertThat(curlGithub().exitCode()).as("TPROXY to a dead listener drops the connection").isNotZero();

        fx.startGateway(POLICY);
        assertThat(curlGithub().exitCode()).isZero();
        String rules = nft("list", "chain", "inet", "tollgate", "prerouting").stdout();
        assertThat(rules.split("tproxy ip to", -1)).as("exactly one IPv4 TPROXY rule after a restart").hasSize(2);
    }

    @Test
    void refusesToStartWithAClearMessage() throws Exception {
        Path badYaml = fx.dir.resolve("bad.yaml");
        Files.writeString(badYaml, "gateway:\n  listen: {tcp: 99999}\n");
        CommandResult config = fx.tollgate("gateway", "--config", badYaml.toString());
        assertThat(config.exitCode()).isEqualTo(2);
        assertThat(config.stderr()).contains("gateway.listen.tcp: 99999 is not a TCP/UDP port");

        Path badPolicy = fx.writeConfig("""
                policies:
                  - name: too-wide
                    sources: [10.10.0.0/24]
                    allowed-endpoints: "*.com:443"
                """);
        CommandResult policy = fx.tollgate("gateway", "--config", badPolicy.toString());
        assertThat(policy.exitCode()).isEqualTo(1);
        assertThat(policy.stderr()).contains("the gateway did not start").contains("too-wide").contains("*.com");
        assertThat(policy.stderr()).doesNotContain("\tat ");

        CommandResult missing = fx.tollgate("gateway", "--config", "/nonexistent.yaml");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("/nonexistent.yaml does not exist");
    }

    @Test
    void refusesToStartWhenThePortIsTaken() throws Exception {
        fx.startGateway(POLICY);
        String config = Files.readString(fx.dir.resolve("tollgate.yaml"));
        Path second = Files.writeString(fx.dir.resolve("second.yaml"), config);
        CommandResult cluster = fx.tollgate("gateway", "--config", second.toString());
        assertThat(cluster.exitCode()).isEqualTo(1);
        assertThat(cluster.stderr()).contains("the gateway did not start").contains("already in use")
                .contains("cluster.port").doesNotContain("\tat ");

        Path third = Files.writeString(fx.dir.resolve("third.yaml"), config + "cluster: {port: 5702}\n");
        CommandResult r = fx.tollgate("gateway", "--config", third.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("the gateway did not start").contains("Address already in use")
                .contains("gateway.listen");
    }

    @Test
    void reportsFileDescriptorExhaustionAndRecovers() throws Exception {
        fx.internet.serveEcho("198.51.100.10", 22);
        fx.startGateway("""
                policies:
                  - name: ci
                    sources: [10.10.0.0/24]
                    allowed-endpoints: github.com:443
                    allowed-cidrs: [198.51.100.10/32:22]
                """);
        // A node reaches its descriptor limit under load, after it has served traffic: do the same here, so that the
        // classes of the data path are loaded before the limit bites (loading a class from a directory needs a fd).
        assertThat(curlGithub().exitCode()).isZero();
        assertThat(fx.curl("--max-time", "3", "-k", "https://198.51.100.10/").exitCode()).as("a direct-IP block").isNotZero();
        long limit = fx.gatewayFileDescriptors() + 30;
        ProcessBuilder prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(fx.gatewayPid()),
                "--nofile=" + limit + ":" + limit);
        assertThat(prlimit.inheritIO().start().waitFor()).isZero();

        List<Socket> held = fx.topology.runner().call(() -> {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("198.51.100.10", 22), 2_000);
                sockets.add(s);
            }
            return sockets;
        });
        try {
            Instant deadline = Instant.now().plusSeconds(15);
            while (!fx.gatewayLog().contains("out of file descriptors") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(fx.gatewayLog()).contains("cannot accept runner connections")
                    .contains("out of file descriptors").contains("LimitNOFILE");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(2_000);
        assertThat(fx.curl("--max-time", "10", "https://github.com/").exitCode())
                .as("the node serves again once descriptors are free").isZero();
    }

    private CommandResult curlGithub() {
        // --resolve: without a gateway nothing answers the runner's DNS, and this check is about forwarding
        return fx.curl("--max-time", "3", "--resolve", "github.com:443:198.51.100.10", "https://github.com/");
    }

    private CommandResult nft(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "nft";
        System.arraycopy(args, 0, argv, 1, args.length);
        return fx.topology.gateway().exec(GatewayFixture.CLIENT_TIMEOUT, argv);
    }
}

package io.tollgate.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class TopologyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @BeforeEach
    void needsRoot() {
        Assumptions.assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
    }

    @Test
    void runnerReachesGatewayOverIpv4AndIpv6() {
        try (var topology = Topology.create()) {
            topology.runner().execOrThrow(TIMEOUT, "ping", "-c1", "-W2", Topology.GATEWAY_RUNNER_IP);
            topology.runner().execOrThrow(TIMEOUT, "ping", "-6", "-c1", "-W2", Topology.GATEWAY_RUNNER_IP6);
            assertThat(topology.gateway().execOrThrow(TIMEOUT, "ip", "-o", "link").stdout())
                    .contains(topology.gatewayRunnerInterface(), topology.gatewayUpstreamInterface());
            assertThat(topology.gateway().execOrThrow(TIMEOUT, "sysctl", "-n", "net.ipv4.ip_forward").stdout().strip())
                    .isEqualTo("1");
        }
    }

    @Test
    void gatewaysOfAClusterShareTheRunnerLanTheInternetLanAndAClusterNetworkTheRunnerIsNotOn() {
        try (var topology = Topology.create(3)) {
            assertThat(topology.gatewayCount()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                topology.runner().execOrThrow(TIMEOUT, "ping", "-c1", "-W2", Topology.gatewayRunnerIp(i));
                topology.gateway(i).execOrThrow(TIMEOUT, "ping", "-c1", "-W2", Topology.INTERNET_IP);
                topology.gateway(i).execOrThrow(TIMEOUT, "ping", "-c1", "-W2", Topology.gatewayClusterIp((i + 1) % 3));
            }
            assertThat(topology.runner().execOrThrow(TIMEOUT, "ip", "-o", "addr").stdout()).doesNotContain("10.30.0.");
            assertThat(topology.runner().execOrThrow(TIMEOUT, "ip", "route", "get", "10.30.0.2").stdout())
                    .contains("via " + Topology.GATEWAY_RUNNER_IP);
        }
    }

    @Test
    void runnerDnsAndTcpCanTakeDifferentGateways() {
        try (var topology = Topology.create(2)) {
            topology.routeRunner(0, 1);
            topology.routeRunner(0, 1); // replaces, does not stack
            assertThat(topology.runner().execOrThrow(TIMEOUT, "ip", "route", "get", "8.8.8.8", "ipproto", "udp",
                    "dport", "53").stdout()).contains("via " + Topology.gatewayRunnerIp(0));
            assertThat(topology.runner().execOrThrow(TIMEOUT, "ip", "route", "get", "8.8.8.8", "ipproto", "tcp",
                    "dport", "443").stdout()).contains("via " + Topology.gatewayRunnerIp(1));
            assertThat(topology.runner().execOrThrow(TIMEOUT, "ip", "rule").stdout().lines()
                    .filter(line -> line.contains("dport 53")).count()).isEqualTo(2);
        }
    }

    @Test
    void runnerCannotReachInternetAddressesEvenThroughAForwardingGateway() {
        try (var topology = Topology.create()) {
            topology.addInternetAddress("198.51.100.7");
            topology.addInternetAddress("198.51.100.7"); // idempotent

            topology.gateway().execOrThrow(TIMEOUT, "ping", "-c1", "-W2", "198.51.100.7");
            CommandResult fromRunner = topology.runner().exec(TIMEOUT, "ping", "-c1", "-W1", "198.51.100.7");

            assertThat(fromRunner.exitCode()).as("ping from runner: %s", fromRunner).isNotZero();
        }
    }

    @Test
    void callRunsJavaCodeInsideTheNamespace() {
        try (var topology = Topology.create()) {
            List<String> interfaces = topology.gateway().call(() ->
                    Collections.list(NetworkInterface.getNetworkInterfaces()).stream().map(NetworkInterface::getName).toList());

            assertThat(interfaces).contains("lo", topology.gatewayRunnerInterface(), topology.gatewayUpstreamInterface());
            assertThatThrownBy(() -> topology.runner().call(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        }
    }

    @Test
    void runnerToolsResolveNamesFromTheRunnerHostsFile() {
        try (var topology = Topology.create()) {
            topology.setRunnerHosts(Map.of("registry.example", "198.51.100.8"));

            assertThat(topology.runner().execOrThrow(TIMEOUT, "getent", "hosts", "registry.example").stdout())
                    .contains("198.51.100.8");
            assertThat(topology.runner().execOrThrow(TIMEOUT, "getent", "hosts", "localhost").stdout()).isNotBlank();
        }
    }

    @Test
    void failingCommandNamesCommandExitCodeAndStderr() {
        try (var ns = NetNs.create("tg-test")) {
            assertThatThrownBy(() -> ns.execOrThrow(TIMEOUT, "ip", "link", "set", "nosuchdev", "up"))
                    .isInstanceOf(TestbedException.class)
                    .hasMessageContaining("ip netns exec " + ns.name() + " ip link set nosuchdev up")
                    .hasMessageContaining("exit 1")
                    .hasMessageContaining("nosuchdev");
        }
    }

    @Test
    void execKillsCommandsThatOutliveTheirTimeout() {
        try (var ns = NetNs.create("tg-test")) {
            long start = System.nanoTime();
            CommandResult result = ns.exec(Duration.ofMillis(300), "sleep", "30");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("killed after timeout");
        }
    }

    @Test
    void twoTopologiesBuiltConcurrentlyCoexistAndCloseLeavesNothingBehind() throws Exception {
        var building = CompletableFuture.supplyAsync(Topology::create);
        var second = Topology.create();
        var first = building.join();
        List<String> names = List.of(first.runner().name(), first.gateway().name(), first.internet().name(),
                second.runner().name(), second.gateway().name(), second.internet().name());
        Path logFile = Files.createTempFile("testbed-sleep-", ".log");
        Process sleeper;
        try {
            first.setRunnerHosts(Map.of("a.example", "198.51.100.9"));
            sleeper = first.runner().start(List.of("sleep", "300"), logFile);
            second.runner().execOrThrow(TIMEOUT, "ping", "-c1", "-W2", Topology.GATEWAY_RUNNER_IP);
            assertThat(netnsList()).containsAll(names);
            assertThat(Path.of("/etc/netns", first.runner().name())).exists();
        } finally {
            first.close();
            second.close();
            first.close(); // idempotent
            Files.deleteIfExists(logFile);
        }

        assertThat(sleeper.isAlive()).isFalse();
        assertThat(netnsList()).doesNotContainAnyElementsOf(names);
        names.forEach(name -> assertThat(Path.of("/etc/netns", name)).doesNotExist());
    }

    private static List<String> netnsList() {
        return Command.run(TIMEOUT, List.of("ip", "netns", "list")).orThrow().stdout().lines()
                .map(line -> line.split(" ")[0])
                .toList();
    }
}

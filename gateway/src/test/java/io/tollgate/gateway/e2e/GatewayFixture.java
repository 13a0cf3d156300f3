package io.tollgate.gateway.e2e;

import io.tollgate.gateway.cli.GatewayProcess;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventJson;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.FakeDns;
import io.tollgate.testbed.FakeInternet;
import io.tollgate.testbed.TestCa;
import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A real gateway process ({@code tollgate gateway --config}) in the gateway namespace of a fresh testbed topology,
 * with a fake internet behind it and real clients in the runner namespace. Everything is removed on close.
 */
final class GatewayFixture implements AutoCloseable {
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    /** The upstream resolver the gateway is configured with: authoritative for every test name. */
    static final String UPSTREAM_DNS_IP = "198.51.100.53";
    /** The public resolver jobs hard-code; it lives in the internet namespace and must never see a query. */
    static final String HARD_CODED_RESOLVER_IP = "8.8.8.8";

    final Topology topology;
    final TestCa ca;
    final FakeInternet internet;
    final FakeDns dns;
    final FakeDns hardCodedResolver;
    final Path dir;
    final Path eventsFile;
    final Path gatewayLog;
    private GatewayProcess gateway;

    private GatewayFixture(Topology topology, TestCa ca, FakeInternet internet, FakeDns dns, FakeDns hardCodedResolver,
            Path dir) {
        this.topology = topology;
        this.ca = ca;
        this.internet = internet;
        this.dns = dns;
        this.hardCodedResolver = hardCodedResolver;
        this.dir = dir;
        this.eventsFile = dir.resolve("events.jsonl");
        this.gatewayLog = dir.resolve("gateway.log");
    }

    /**
     * Builds the topology, the fake internet ({@code hosts} maps names to internet addresses) and its DNS. The runner
     * resolves through {@value #HARD_CODED_RESOLVER_IP}, as a job that hard-codes a public resolver would; the
     * gateway intercepts those queries.
     */
    static GatewayFixture create(Map<String, String> hosts) throws IOException {
        return create(hosts, Set.of());
    }

    /** As {@link #create(Map)}; the names in {@code http2} are served with ALPN h2 (their addresses only). */
    static GatewayFixture create(Map<String, String> hosts, Set<String> http2) throws IOException {
        Topology topology = Topology.create();
        try {
            TestCa ca = TestCa.create("Tollgate e2e CA");
            FakeInternet internet = FakeInternet.start(topology, ca);
            hosts.forEach((name, ip) -> {
                if (http2.contains(name)) {
                    internet.hostHttp2(name, ip);
                } else {
                    internet.host(name, ip);
                }
            });
            FakeDns dns = FakeDns.start(topology, UPSTREAM_DNS_IP);
            hosts.forEach((name, ip) -> dns.a(name, ip));
            FakeDns hardCoded = FakeDns.start(topology, HARD_CODED_RESOLVER_IP);
            topology.setRunnerHosts(Map.of());
            topology.runner().writeEtcFile("resolv.conf", "nameserver " + HARD_CODED_RESOLVER_IP + "\n");
            return new GatewayFixture(topology, ca, internet, dns, hardCoded, Files.createTempDirectory("tollgate-e2e-"));
        } catch (RuntimeException | IOException e) {
            topology.close();
            throw e;
        }
    }

    /** Writes a config with {@code gateway:} settings for this topology plus the given YAML, and returns its path. */
    Path writeConfig(String policiesAndIoc) throws IOException {
        return writeConfig("", policiesAndIoc);
    }

    /**
     * As {@link #writeConfig(String)}, with {@code gatewayLines} (YAML keys, unindented) added to {@code gateway:}.
     * The policy store lives in the fixture's directory unless {@code policiesAndIoc} has its own {@code policy-store}.
     */
    Path writeConfig(String gatewayLines, String policiesAndIoc) throws IOException {
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                gateway:
                  runner-interfaces: [%s]
                  peek-timeout: 1s
                  connect-timeout: 3s
                  node-name: e2e
                  upstream-dns: [%s]
                  events: {file: %s}
                %s%s%s""".formatted(topology.gatewayRunnerInterface(), UPSTREAM_DNS_IP, eventsFile, gatewayLines.indent(2),
                policiesAndIoc, policiesAndIoc.contains("policy-store:") ? ""
                        : (policiesAndIoc.isEmpty() || policiesAndIoc.endsWith("\n") ? "" : "\n")
                                + "policy-store: {dir: " + dir.resolve("policies") + "}\n"));
        return config;
    }

    /** Starts {@code tollgate gateway} in the gateway namespace and waits until it reports ready. */
    void startGateway(String policiesAndIoc) throws IOException, InterruptedException {
        startGateway("", policiesAndIoc);
    }

    /** As {@link #startGateway(String)}, with {@code gatewayLines} added to the {@code gateway:} section. */
    void startGateway(String gatewayLines, String policiesAndIoc) throws IOException, InterruptedException {
        gateway = GatewayProcess.start(topology.gateway(), writeConfig(gatewayLines, policiesAndIoc), gatewayLog,
                Duration.ofSeconds(60));
    }

    /** Stops the gateway the way systemd would (SIGTERM) and returns its exit code. */
    int stopGateway() throws InterruptedException {
        return gateway == null ? 0 : gateway.stop();
    }

    /** Runs a {@code tollgate} command to completion in the gateway namespace. */
    CommandResult tollgate(String... args) {
        return topology.gateway().exec(CLIENT_TIMEOUT, tollgateCommand(args).toArray(String[]::new));
    }

    /** Runs a {@code tollgate} command to completion in the runner namespace with {@code env} added to its environment. */
    CommandResult runnerTollgate(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("env"));
        env.forEach((name, value) -> argv.add(name + "=" + value));
        argv.addAll(tollgateCommand(args));
        return runner(argv.toArray(String[]::new));
    }

    /** Kills the gateway without letting it clean up, as a crash or an OOM kill would. */
    void crashGateway() throws InterruptedException {
        gateway.kill();
    }

    private static List<String> tollgateCommand(String... args) {
        List<String> argv = new ArrayList<>(GatewayProcess.tollgateCommand());
        argv.addAll(List.of(args));
        return argv;
    }

    long gatewayPid() {
        return gateway.pid();
    }

    /** The gateway process's resident memory in KiB. */
    long gatewayRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(gateway.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + gateway.pid() + "/status");
    }

    /** How many file descriptors the gateway process holds open right now. */
    long gatewayFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(gateway.pid()), "fd"))) {
            return fds.count();
        }
    }

    /** How many sockets the gateway process holds open right now. */
    long gatewaySockets() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(gateway.pid()), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    /** A second runner address on the runner's interface, for a second policy (e.g. audit mode) in the same test. */
    void addRunnerAddress(String ip) {
        runner("sh", "-c", "ip addr add " + ip + "/24 dev $(ip -o -4 route show default | awk '{print $5}')").orThrow();
    }

    CommandResult runner(String... argv) {
        return topology.runner().exec(CLIENT_TIMEOUT, argv);
    }

    /** Real curl in the runner namespace, trusting the test CA; adds {@code -w %{http_code}} after the body. */
    CommandResult curl(String... args) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                ca.certificatePem().toString()));
        argv.addAll(List.of(args));
        return runner(argv.toArray(String[]::new));
    }

    List<Event> events() {
        try {
            if (!Files.exists(eventsFile)) {
                return List.of();
            }
            List<Event> events = new ArrayList<>();
            for (String line : Files.readAllLines(eventsFile)) {
                events.add(EventJson.fromLine(line));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for the first event that matches, after the events file has been flushed. */
    Event awaitEvent(String what, Predicate<Event> match) throws InterruptedException {
        return awaitEventAfter(0, what, match);
    }

    /** As {@link #awaitEvent}, among the events after the first {@code skip} (e.g. {@code events().size()} earlier). */
    Event awaitEventAfter(int skip, String what, Predicate<Event> match) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Optional<Event> found = events().stream().skip(skip).filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no event " + what + " within 10 s; events:\n" + String.join("\n",
                events().stream().map(EventJson::toLine).toList()));
    }

    String gatewayLog() {
        return gateway == null ? "" : gateway.log();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stopGateway();
        } finally {
            internet.close();
            dns.close();
            hardCodedResolver.close();
            topology.close();
        }
    }
}

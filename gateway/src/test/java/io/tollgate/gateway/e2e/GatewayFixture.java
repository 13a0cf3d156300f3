package io.tollgate.gateway.e2e;

import io.tollgate.gateway.cli.GatewayProcess;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventJson;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.Directories;
import io.tollgate.testbed.FakeDns;
import io.tollgate.testbed.FakeInternet;
import io.tollgate.testbed.NetNs;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Real gateway processes ({@code tollgate gateway --config}) in the gateway namespaces of a fresh testbed topology,
 * with a fake internet behind them and real clients in the runner namespace. Everything is removed on close.
 * <p>
 * {@link #create} builds one gateway; the methods without a node ({@link #startGateway}, {@link #events},
 * {@link #tollgate}, ...) act on it. {@link #createCluster} builds N gateway nodes that form one Hazelcast cluster
 * over the topology's cluster network (node i binds {@link Topology#gatewayClusterIp(int)}, every node lists all N);
 * {@link #node(int)} gives each node's own start/stop/kill/restart, events, log and {@code tollgate} commands, and
 * {@link #routeRunner(int, int)} sends the runner's DNS through one node and its TCP through another.
 */
public final class GatewayFixture implements AutoCloseable {
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** The upstream resolver the gateway is configured with: authoritative for every test name. */
    static final String UPSTREAM_DNS_IP = "198.51.100.53";
    /** The public resolver jobs hard-code; it lives in the internet namespace and must never see a query. */
    static final String HARD_CODED_RESOLVER_IP = "8.8.8.8";
    /** In {@code gatewayLines}, replaced by each node's own runner-facing address (e.g. for {@code api.runner-bind}). */
    public static final String RUNNER_IP_PLACEHOLDER = "{runner-ip}";
    private static final Map<String, String> TOKEN_NAMES = Map.of("admin", "security-team", "reader", "ops",
            "registrar", "runners");

    final Topology topology;
    final TestCa ca;
    final FakeInternet internet;
    final FakeDns dns;
    final FakeDns hardCodedResolver;
    final Path dir;
    /** The first node's events file and log. */
    final Path eventsFile;
    final Path gatewayLog;
    private final List<Node> nodes;

    private GatewayFixture(Topology topology, TestCa ca, FakeInternet internet, FakeDns dns, FakeDns hardCodedResolver,
            Path dir) throws IOException {
        this.topology = topology;
        this.ca = ca;
        this.internet = internet;
        this.dns = dns;
        this.hardCodedResolver = hardCodedResolver;
        this.dir = dir;
        boolean cluster = topology.gatewayCount() > 1;
        List<Node> built = new ArrayList<>();
        for (int i = 0; i < topology.gatewayCount(); i++) {
            built.add(new Node(i, cluster ? "node-" + i : "e2e",
                    cluster ? Files.createDirectories(dir.resolve("node-" + i)) : dir));
        }
        this.nodes = List.copyOf(built);
        this.eventsFile = nodes.getFirst().eventsFile;
        this.gatewayLog = nodes.getFirst().log;
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
        return build(1, hosts, http2);
    }

    /** As {@link #create}, with {@code nodes} gateway nodes (at least 2) on one cluster network. */
    public static GatewayFixture createCluster(int nodes, Map<String, String> hosts) throws IOException {
        if (nodes < 2) {
            throw new IllegalArgumentException("a cluster fixture has at least 2 nodes; use create() for one");
        }
        return build(nodes, hosts, Set.of());
    }

    private static GatewayFixture build(int nodes, Map<String, String> hosts, Set<String> http2) throws IOException {
        Topology topology = Topology.create(nodes);
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

    /** Node {@code index} (0 is the one the node-less methods act on). */
    public Node node(int index) {
        return nodes.get(index);
    }

    public int nodeCount() {
        return nodes.size();
    }

    /**
     * Starts every node with the same settings: node 0 first (it founds the cluster), then the others at once (they
     * join it). Returns when all of them report ready.
     */
    public void startCluster(String gatewayLines, String policiesAndIoc) throws IOException, InterruptedException {
        for (Node node : nodes) {
            node.writeConfig(gatewayLines, policiesAndIoc);
        }
        restartCluster();
    }

    /** Starts every node again with its last config (node 0 first), e.g. after {@link #stopCluster()}. */
    public void restartCluster() throws InterruptedException {
        nodes.getFirst().restart();
        List<Node> others = nodes.subList(1, nodes.size());
        others.forEach(Node::launch);
        for (Node node : others) {
            node.awaitReady();
        }
    }

    /** Stops every node (SIGTERM), the last one first. */
    public void stopCluster() throws InterruptedException {
        for (Node node : nodes.reversed()) {
            node.stop();
        }
    }

    /** The runner's DNS goes through node {@code dnsVia}, its other traffic through node {@code tcpVia}. */
    public void routeRunner(int dnsVia, int tcpVia) {
        topology.routeRunner(dnsVia, tcpVia);
    }

    /**
     * The {@code api:} lines of a gateway config: runners reach the API on their own gateway's runner-facing address,
     * and each given role ({@code admin}, {@code reader}, {@code registrar}) gets a bearer token, written to
     * {@link #tokenFile} and holding {@link #secret}.
     */
    String apiWithTokens(String... roles) throws IOException {
        StringBuilder yaml = new StringBuilder("api:\n  runner-bind: [" + RUNNER_IP_PLACEHOLDER + "]\n  tokens:\n");
        for (String role : roles) {
            Files.writeString(tokenFile(role), secret(role) + "\n");
            yaml.append("    - {name: ").append(TOKEN_NAMES.get(role)).append(", role: ").append(role)
                    .append(", token-file: ").append(tokenFile(role)).append("}\n");
        }
        return yaml.toString();
    }

    /** The file of a role's token, see {@link #apiWithTokens}. */
    Path tokenFile(String role) {
        return dir.resolve(role + ".token");
    }

    /** The token of a role, see {@link #apiWithTokens}. */
    static String secret(String role) {
        return "e2e-" + role + "-secret";
    }

    /** Writes node 0's config for this topology plus the given YAML, and returns its path. */
    Path writeConfig(String policiesAndIoc) throws IOException {
        return writeConfig("", policiesAndIoc);
    }

    /** As {@link #writeConfig(String)}, with {@code gatewayLines} (YAML keys, unindented) added to {@code gateway:}. */
    Path writeConfig(String gatewayLines, String policiesAndIoc) throws IOException {
        return nodes.getFirst().writeConfig(gatewayLines, policiesAndIoc);
    }

    /** Starts {@code tollgate gateway} (node 0) and waits until it reports ready. */
    void startGateway(String policiesAndIoc) throws IOException, InterruptedException {
        startGateway("", policiesAndIoc);
    }

    /** As {@link #startGateway(String)}, with {@code gatewayLines} added to the {@code gateway:} section. */
    void startGateway(String gatewayLines, String policiesAndIoc) throws IOException, InterruptedException {
        nodes.getFirst().start(gatewayLines, policiesAndIoc);
    }

    /** Stops node 0 the way systemd would (SIGTERM) and returns its exit code. */
    int stopGateway() throws InterruptedException {
        return nodes.getFirst().stop();
    }

    /** Runs a {@code tollgate} command to completion in node 0's namespace. */
    CommandResult tollgate(String... args) {
        return nodes.getFirst().tollgate(args);
    }

    /** Runs a {@code tollgate} command to completion in the runner namespace with {@code env} added to its environment. */
    public CommandResult runnerTollgate(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("env"));
        env.forEach((name, value) -> argv.add(name + "=" + value));
        argv.addAll(tollgateCommand(args));
        return runner(argv.toArray(String[]::new));
    }

    /** Kills node 0 without letting it clean up, as a crash or an OOM kill would. */
    void crashGateway() throws InterruptedException {
        nodes.getFirst().kill();
    }

    private static List<String> tollgateCommand(String... args) {
        List<String> argv = new ArrayList<>(GatewayProcess.tollgateCommand());
        argv.addAll(List.of(args));
        return argv;
    }

    long gatewayPid() {
        return nodes.getFirst().pid();
    }

    /** The gateway process's resident memory in KiB. */
    long gatewayRssKib() throws IOException {
        long pid = gatewayPid();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** How many file descriptors the gateway process holds open right now. */
    long gatewayFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(gatewayPid()), "fd"))) {
            return fds.count();
        }
    }

    /** How many sockets the gateway process holds open right now. */
    long gatewaySockets() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(gatewayPid()), "fd"))) {
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

    /** Runs a command to completion in the runner namespace. */
    public CommandResult runner(String... argv) {
        return topology.runner().exec(CLIENT_TIMEOUT, argv);
    }

    /** Real curl in the runner namespace, trusting the test CA. */
    public CommandResult curl(String... args) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                ca.certificatePem().toString()));
        argv.addAll(List.of(args));
        return runner(argv.toArray(String[]::new));
    }

    /** Node 0's events. */
    List<Event> events() {
        return nodes.getFirst().events();
    }

    /** Waits (bounded) for the first event of node 0 that matches, after the events file has been flushed. */
    Event awaitEvent(String what, Predicate<Event> match) throws InterruptedException {
        return nodes.getFirst().awaitEventAfter(0, what, match);
    }

    /** As {@link #awaitEvent}, among the events after the first {@code skip} (e.g. {@code events().size()} earlier). */
    Event awaitEventAfter(int skip, String what, Predicate<Event> match) throws InterruptedException {
        return nodes.getFirst().awaitEventAfter(skip, what, match);
    }

    String gatewayLog() {
        return nodes.getFirst().log();
    }

    /** Every node's log, for assertion messages. */
    public String logs() {
        return nodes.stream().map(n -> "--- " + n.name + " ---\n" + n.log()).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            for (Node node : nodes.reversed()) {
                node.stop();
            }
        } finally {
            internet.close();
            dns.close();
            hardCodedResolver.close();
            topology.close();
            deleteDir();
        }
    }

    /** The nodes' configs, logs, events and policy stores go with the fixture. */
    private void deleteDir() {
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("GatewayFixture: could not remove " + dir + ": " + e);
        }
    }

    /** One gateway node: its namespace, config, events file, log and process. */
    public final class Node {
        private final int index;
        private final String name;
        private final Path dir;
        private final Path config;
        private final Path eventsFile;
        private final Path log;
        private GatewayProcess process;

        private Node(int index, String name, Path dir) {
            this.index = index;
            this.name = name;
            this.dir = dir;
            this.config = dir.resolve("tollgate.yaml");
            this.eventsFile = dir.resolve("events.jsonl");
            this.log = dir.resolve("gateway.log");
        }

        /** Its {@code gateway.node-name}: {@code node-<index>} in a cluster, {@code e2e} alone. */
        public String name() {
            return name;
        }

        public NetNs ns() {
            return topology.gateway(index);
        }

        /** Its address on the runner LAN (where runners register jobs when {@code api.runner-bind} names it). */
        public String runnerIp() {
            return Topology.gatewayRunnerIp(index);
        }

        /** Its cluster member's address (cluster fixtures only). */
        public String clusterIp() {
            return Topology.gatewayClusterIp(index);
        }

        public Path eventsFile() {
            return eventsFile;
        }

        /**
         * Writes its config: the topology's {@code gateway:} settings plus {@code gatewayLines} (unindented; {@value
         * #RUNNER_IP_PLACEHOLDER} becomes this node's runner address), in a cluster its {@code cluster:} section,
         * then {@code policiesAndIoc}. The policy store lives in the node's directory unless {@code policiesAndIoc}
         * has its own {@code policy-store}.
         */
        public Path writeConfig(String gatewayLines, String policiesAndIoc) throws IOException {
            String clusterSection = topology.gatewayCount() < 2 ? "" : """
                    cluster:
                      bind: %s
                      members: [%s]
                    """.formatted(clusterIp(), IntStream.range(0, topology.gatewayCount())
                    .mapToObj(Topology::gatewayClusterIp).collect(Collectors.joining(", ")));
            Files.writeString(config, """
                    gateway:
                      runner-interfaces: [%s]
                      peek-timeout: 1s
                      connect-timeout: 3s
                      node-name: %s
                      upstream-dns: [%s]
                      events: {file: %s}
                    %s%s%s%s""".formatted(topology.gatewayRunnerInterface(index), name, UPSTREAM_DNS_IP, eventsFile,
                    gatewayLines.replace(RUNNER_IP_PLACEHOLDER, runnerIp()).indent(2), clusterSection,
                    policiesAndIoc, policiesAndIoc.contains("policy-store:") ? ""
                            : (policiesAndIoc.isEmpty() || policiesAndIoc.endsWith("\n") ? "" : "\n")
                                    + "policy-store: {dir: " + dir.resolve("policies") + "}\n"));
            return config;
        }

        /** Writes its config and starts it; returns when it reports ready. */
        public void start(String gatewayLines, String policiesAndIoc) throws IOException, InterruptedException {
            writeConfig(gatewayLines, policiesAndIoc);
            restart();
        }

        /** Starts it again with its last config (after {@link #stop()} or {@link #kill()}); returns when ready. */
        public void restart() throws InterruptedException {
            process = GatewayProcess.start(ns(), config, log, READY_TIMEOUT);
        }

        private void launch() {
            process = GatewayProcess.launch(ns(), config, log);
        }

        private void awaitReady() throws InterruptedException {
            try {
                process.awaitReady(READY_TIMEOUT);
            } catch (RuntimeException | InterruptedException e) {
                process.kill();
                throw e;
            }
        }

        /** Stops it as systemd would (SIGTERM) and returns its exit code (0 if it was not running). */
        public int stop() throws InterruptedException {
            return process == null ? 0 : process.stop();
        }

        /** Kills it with SIGKILL: no cleanup, no graceful leave from the cluster, as a crash or an OOM kill would. */
        public void kill() throws InterruptedException {
            process.kill();
        }

        public boolean isRunning() {
            return process != null && process.isAlive();
        }

        public long pid() {
            return process.pid();
        }

        /** Runs a {@code tollgate} command to completion in this node's namespace. */
        public CommandResult tollgate(String... args) {
            return ns().exec(CLIENT_TIMEOUT, tollgateCommand(args).toArray(String[]::new));
        }

        /** Everything in its events file so far. */
        public List<Event> events() {
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

        /** Waits (bounded) for its first event after the first {@code skip} that matches. */
        public Event awaitEventAfter(int skip, String what, Predicate<Event> match) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline)) {
                Optional<Event> found = events().stream().skip(skip).filter(match).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no event " + what + " on " + name + " within 10 s; events:\n"
                    + String.join("\n", events().stream().map(EventJson::toLine).toList()));
        }

        public String log() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e.getMessage() + ")";
            }
        }
    }
}

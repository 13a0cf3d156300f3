package io.tollgate.gateway.demo;

import io.tollgate.gateway.cli.GatewayProcess;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventJson;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.Directories;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the demo builds: runner, gateway and internet namespaces, a test CA, the fake internet with its DNS and
 * the decoy resolver the runner is configured with, a temp dir for config, events and logs, and the gateway process.
 * {@link #close()} removes all of it, also from a shutdown hook when the demo is interrupted (Ctrl-C).
 */
final class DemoSandbox implements AutoCloseable {
    private static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(5);

    private final Path dir;
    private final Thread cleanupHook = new Thread(this::close, "tollgate-demo-cleanup");
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Topology topology;
    private volatile TestCa ca;
    private volatile FakeInternet internet;
    private volatile FakeDns dns;
    private volatile FakeDns decoy;
    private volatile GatewayProcess gateway;

    private DemoSandbox(Path dir) {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /**
     * Builds the namespaces, a fake internet serving {@code hosts} (name → address), its DNS with those names, and
     * the decoy resolver; the runner resolves through the decoy's address (which the gateway intercepts).
     */
    static DemoSandbox create(Map<String, String> hosts) throws IOException {
        var sandbox = new DemoSandbox(Files.createTempDirectory("tollgate-demo-"));
        try {
            sandbox.topology = Topology.create();
            sandbox.ca = TestCa.create("Tollgate demo CA");
            sandbox.internet = FakeInternet.start(sandbox.topology, sandbox.ca);
            hosts.forEach(sandbox.internet::host);
            sandbox.dns = FakeDns.start(sandbox.topology, DemoConfig.UPSTREAM_DNS_IP);
            hosts.forEach((name, ip) -> sandbox.dns.a(name, ip));
            sandbox.decoy = FakeDns.start(sandbox.topology, DemoConfig.DECOY_RESOLVER_IP);
            sandbox.topology.setRunnerHosts(Map.of());
            sandbox.topology.runner().writeEtcFile("resolv.conf", "nameserver " + DemoConfig.DECOY_RESOLVER_IP + "\n");
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /** Writes the embedded config and starts a real gateway in the gateway namespace; returns once it is ready. */
    void startGateway() throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("tollgate.yaml"),
                DemoConfig.yaml(topology.gatewayRunnerInterface(), eventsFile()));
        gateway = GatewayProcess.start(topology.gateway(), config, dir.resolve("gateway.log"), Duration.ofSeconds(30));
    }

    long gatewayPid() {
        return gateway.pid();
    }

    /** Runs a command in the runner namespace; fails once the sandbox has been removed (Ctrl-C). */
    CommandResult runInRunner(Duration timeout, List<String> argv) {
        CommandResult result = topology.runner().exec(timeout, argv.toArray(String[]::new));
        if (closed.get()) {
            throw new DemoFailure("interrupted; the sandbox has been removed");
        }
        return result;
    }

    List<String> namespaces() {
        return List.of(topology.runner().name(), topology.gateway().name(), topology.internet().name());
    }

    Path caCertificate() {
        return ca.certificatePem();
    }

    /** A file in the sandbox's temp dir, which is removed with the sandbox. */
    Path file(String name) {
        return dir.resolve(name);
    }

    InternetLog internetLog() {
        return new InternetLog(internet.requests(), dns.queries(), decoy.queries());
    }

    /** The gateway's events so far, waiting (bounded) until there are at least {@code expected}. */
    List<Event> events(int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(EVENTS_TIMEOUT);
        List<Event> events = readEvents();
        while (events.size() < expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            events = readEvents();
        }
        return events;
    }

    private List<Event> readEvents() {
        if (!Files.exists(eventsFile())) {
            return List.of();
        }
        try {
            List<Event> events = new ArrayList<>();
            for (String line : Files.readAllLines(eventsFile())) {
                if (!line.isBlank()) {
                    events.add(EventJson.fromLine(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new DemoFailure("cannot read the gateway's events file " + eventsFile() + ": " + e.getMessage(), e);
        }
    }

    private Path eventsFile() {
        return dir.resolve("events.jsonl");
    }

    /** Stops the gateway, the fake internet and removes the namespaces and the temp dir. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // closing from the hook itself (Ctrl-C): nothing to unregister
        }
        try {
            if (gateway != null) {
                gateway.close();
            }
            if (internet != null) {
                internet.close();
            }
            if (dns != null) {
                dns.close();
            }
            if (decoy != null) {
                decoy.close();
            }
        } finally {
            if (topology != null) {
                topology.close();
            }
            deleteDir();
        }
    }

    private void deleteDir() {
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the demo's temp dir " + dir, e);
        }
    }
}

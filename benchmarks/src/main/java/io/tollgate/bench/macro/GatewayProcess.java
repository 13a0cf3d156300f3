package io.tollgate.bench.macro;

import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway ({@code java -jar tollgate.jar gateway --config FILE}) in a topology's gateway namespace, with a
 * block policy that allows one name on 443. Started through {@code NetNs.start}, so closing the namespace kills it.
 */
final class GatewayProcess {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final long javaPid;
    private final Path log;
    private final Path eventsFile;

    private GatewayProcess(Process process, long javaPid, Path log, Path eventsFile) {
        this.process = process;
        this.javaPid = javaPid;
        this.log = log;
        this.eventsFile = eventsFile;
    }

    static GatewayProcess start(Topology topology, Path jar, Path dir, String allowedHost, String upstreamDns)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new BenchmarkFailure("gateway jar not found: " + jar + " (build with mvn -pl benchmarks -am package)");
        }
        Files.createDirectories(dir);
        Path events = dir.resolve("events.jsonl");
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                gateway:
                  runner-interfaces: [%s]
                  node-name: bench
                  events: {file: %s}
                  upstream-dns: [%s]
                policies:
                  - name: bench
                    sources: [10.10.0.0/24]
                    egress-policy: block
                    allowed-endpoints: |
                      %s:443
                """.formatted(topology.gatewayRunnerInterface(), events, upstreamDns, allowedHost));
        Path log = dir.resolve("gateway.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = topology.gateway().start(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                jar.toString(), "gateway", "--config", config.toString()), log);
        awaitReady(process, log);
        return new GatewayProcess(process, javaPid(process), log, events);
    }

    /** User + system CPU time of the gateway JVM (all threads) so far, in seconds. */
    double cpuSeconds() {
        try {
            return ProcCpu.seconds(javaPid);
        } catch (IOException | RuntimeException e) {
            throw new BenchmarkFailure("cannot read the gateway's CPU time (did it exit?)\n" + logTail(), e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Lines of the events file (one JSON event per line), empty if none was written yet. */
    List<String> events() throws IOException {
        return Files.exists(eventsFile) ? Files.readAllLines(eventsFile) : List.of();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "gateway log, last lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no gateway log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as systemd would stop it; the namespace's close() kills whatever is left. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void awaitReady(Process process, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("ready:")) {
                return;
            }
            if (!process.isAlive()) {
                throw new BenchmarkFailure("the gateway exited with " + process.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        throw new BenchmarkFailure("the gateway did not report ready within " + READY_TIMEOUT.toSeconds() + " s:\n"
                + Files.readString(log));
    }

    /** {@code ip netns exec} execs its command, so this is normally the process itself; else its java child. */
    private static long javaPid(Process process) {
        ProcessHandle self = process.toHandle();
        if (isJava(self)) {
            return self.pid();
        }
        return self.descendants().filter(GatewayProcess::isJava).findFirst()
                .orElseThrow(() -> new BenchmarkFailure("cannot find the gateway's java process under pid " + self.pid()))
                .pid();
    }

    private static boolean isJava(ProcessHandle handle) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(handle.pid()), "comm")).strip().equals("java");
        } catch (IOException e) {
            return false;
        }
    }
}

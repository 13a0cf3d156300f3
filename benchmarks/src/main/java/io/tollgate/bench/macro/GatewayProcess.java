package io.tollgate.bench.macro;

import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The real gateway ({@code java -jar tollgate.jar gateway --config FILE}) in a topology's gateway namespace, with one
 * block policy for the runner subnet (see {@link Setup}). Started through {@code NetNs.start}, so closing the
 * namespace kills it.
 */
final class GatewayProcess implements ServerProcess {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final String JVM_OPTIONS_VARIABLE = "TOLLGATE_BENCH_GATEWAY_JVM_OPTS";

    /**
     * What the gateway enforces: the entries of its block policy's {@code allowed-endpoints}, the IOC domains, its
     * upstream resolver and the dns-firewall's per-runner rate limit ({@code gateway.dns.queries-per-second} and
     * {@code burst}).
     */
    record Setup(List<String> allowedEndpoints, List<String> iocDomains, String upstreamDns, int dnsQueriesPerSecond,
            int dnsBurst) {
        /** One name allowed on 443, no IOC domain, the gateway's default DNS rate limit (200/s, burst 400). */
        static Setup allowing(String host, String upstreamDns) {
            return new Setup(List.of(host + ":443"), List.of(), upstreamDns, 200, 400);
        }

        String yaml(String runnerInterface, Path eventsFile) {
            return """
                    gateway:
                      runner-interfaces: [%s]
                      node-name: bench
                      events: {file: %s}
                      upstream-dns: [%s]
                      dns: {queries-per-second: %d, burst: %d}
                    policy-store: {dir: %s}
                    policies:
                      - name: bench
                        sources: [10.10.0.0/24]
                        egress-policy: block
                        allowed-endpoints: |
                    %s
                    ioc:
                      domains: [%s]
                    """.formatted(runnerInterface, eventsFile, upstreamDns, dnsQueriesPerSecond, dnsBurst,
                    eventsFile.resolveSibling("policies"),
                    allowedEndpoints.stream().map(e -> "      " + e).collect(Collectors.joining("\n")),
                    String.join(", ", iocDomains));
        }
    }

    private final Process process;
    private final long javaPid;
    private final Path log;
    private final Path eventsFile;
    private final String config;

    private GatewayProcess(Process process, long javaPid, Path log, Path eventsFile, String config) {
        this.process = process;
        this.javaPid = javaPid;
        this.log = log;
        this.eventsFile = eventsFile;
        this.config = config;
    }

    static GatewayProcess start(Topology topology, Path jar, Path dir, Setup setup)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new BenchmarkFailure("gateway jar not found: " + jar + " (build with mvn -pl benchmarks -am package)");
        }
        Files.createDirectories(dir);
        Path events = dir.resolve("events.jsonl");
        Path config = dir.resolve("tollgate.yaml");
        String yaml = setup.yaml(topology.gatewayRunnerInterface(), events);
        Files.writeString(config, yaml);
        Path log = dir.resolve("gateway.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions(jar));
        command.addAll(List.of("-jar", jar.toString(), "gateway", "--config", config.toString()));
        Process process = topology.gateway().start(command, log);
        awaitReady(process, log);
        return new GatewayProcess(process, javaPid(process), log, events, yaml);
    }

    /**
     * The gateway's own JVM options ({@code gateway/jvm.options} beside the jar's {@code target/}, as {@code ./tollgate
     * gateway} uses them), then the extra ones; a collector among the extra ones replaces the file's.
     */
    static List<String> jvmOptions(Path jar) throws IOException {
        List<String> extra = extraJvmOptions();
        boolean extraChoosesCollector = extra.stream().anyMatch(GatewayProcess::choosesCollector);
        List<String> options = new ArrayList<>();
        Path file = jar.toAbsolutePath().getParent().getParent().resolve("jvm.options");
        for (String line : Files.readAllLines(file)) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#") && !(extraChoosesCollector && choosesCollector(option))) {
                options.add(option);
            }
        }
        options.addAll(extra);
        return options;
    }

    private static boolean choosesCollector(String option) {
        return option.matches("-XX:\\+Use[A-Za-z0-9]+GC");
    }

    /**
     * Extra JVM options for the gateway from {@value #JVM_OPTIONS_VARIABLE} (split on white space), e.g. a JFR
     * recording: {@code -XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile}.
     */
    static List<String> extraJvmOptions() {
        String value = System.getenv(JVM_OPTIONS_VARIABLE);
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    @Override
    public String config() {
        return config;
    }

    /** User + system CPU time of the gateway JVM (all threads) so far, in seconds. */
    @Override
    public double cpuSeconds() {
        try {
            return ProcCpu.seconds(javaPid);
        } catch (IOException | RuntimeException e) {
            throw new BenchmarkFailure("cannot read the gateway's CPU time (did it exit?)\n" + logTail(), e);
        }
    }

    @Override
    public ProcessHandle root() {
        return ProcessHandle.of(javaPid).orElseThrow(() -> new BenchmarkFailure("the gateway exited\n" + logTail()));
    }

    /** Live heap after a full GC: {@code jcmd PID GC.class_histogram} collects first. */
    @Override
    public HeapHistogram liveHeap() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(javaPid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new BenchmarkFailure("jcmd GC.class_histogram on the gateway failed: " + String.join("\n",
                        lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
            return HeapHistogram.parse(lines);
        } catch (IOException e) {
            throw new BenchmarkFailure("cannot run " + jcmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailure("interrupted while reading the gateway's heap", e);
        }
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Lines of the events file (one JSON event per line), empty if none was written yet. */
    private List<String> events() throws IOException {
        return Files.exists(eventsFile) ? Files.readAllLines(eventsFile) : List.of();
    }

    /**
     * Fails unless the events file shows {@code allowedHost} allowed and every block is for {@code deniedHost} (the
     * refusal probe); waits up to 5 s for both to appear, since events are written asynchronously.
     */
    void verifyDecisions(String allowedHost, String deniedHost) throws IOException, InterruptedException {
        List<String> events = events();
        for (int i = 0; i < 50 && !(has(events, "allow", allowedHost) && has(events, "block", deniedHost)); i++) {
            Thread.sleep(100);
            events = events();
        }
        List<String> otherBlocks = events.stream()
                .filter(e -> e.contains("\"verdict\":\"block\"") && !e.contains(deniedHost)).toList();
        if (!has(events, "allow", allowedHost) || !has(events, "block", deniedHost) || !otherBlocks.isEmpty()) {
            throw new BenchmarkFailure("the gateway should have allowed " + allowedHost + " and blocked only "
                    + deniedHost + "; events:\n" + String.join("\n", events.subList(Math.max(0, events.size() - 20),
                    events.size())) + "\n" + logTail());
        }
    }

    private static boolean has(List<String> events, String verdict, String host) {
        return events.stream().anyMatch(e -> e.contains("\"verdict\":\"" + verdict + "\"") && e.contains(host));
    }

    @Override
    public String logTail() {
        return LogTail.of("gateway log", log, 30);
    }

    /** SIGTERM, as systemd would stop it; the namespace's close() kills whatever is left. */
    @Override
    public void stop() throws InterruptedException {
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

package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's unbound as a filtering forwarder in a namespace, enforcing the same lists as the gateway with local
 * zones: everything is NXDOMAIN ({@code local-zone: "." always_nxdomain}) except the allowed names, each its own
 * {@code transparent} zone resolved through the forward zone and cached; the IOC domain is NXDOMAIN explicitly.
 */
final class UnboundServer implements ServerProcess {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path log;
    private final String config;

    private UnboundServer(Process process, Path log, String config) {
        this.process = process;
        this.log = log;
        this.config = config;
    }

    /** Checks the config with {@code unbound-checkconf}, starts unbound in the foreground and waits until it answers. */
    static UnboundServer start(NetNs ns, Path dir, String listenIp, String allowedClients, String upstreamDns,
            int threads, List<String> allowedNames, List<String> iocDomains) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String text = configFile(dir, listenIp, allowedClients, upstreamDns, threads, allowedNames, iocDomains);
        Path conf = dir.resolve("unbound.conf");
        Files.writeString(conf, text);
        CommandResult check = ns.exec(Duration.ofSeconds(30), "unbound-checkconf", conf.toString());
        if (!check.succeeded()) {
            throw new BenchmarkFailure("unbound-checkconf rejects " + conf + ": " + check.stdout() + check.stderr());
        }
        Path log = dir.resolve("unbound.log");
        Process process = ns.start(List.of("unbound", "-d", "-c", conf.toString()), log);
        var server = new UnboundServer(process, log, text);
        server.awaitReady(ns, listenIp);
        return server;
    }

    private static String configFile(Path dir, String listenIp, String allowedClients, String upstreamDns, int threads,
            List<String> allowedNames, List<String> iocDomains) {
        return """
                server:
                  username: ""
                  chroot: ""
                  directory: "%s"
                  pidfile: "%s/unbound.pid"
                  use-syslog: no
                  verbosity: 0
                  interface: %s
                  port: 53
                  access-control: %s allow
                  do-ip6: no
                  num-threads: %d
                  module-config: "iterator"
                  local-zone: "." always_nxdomain
                %s
                %s
                forward-zone:
                  name: "."
                  forward-addr: %s
                """.formatted(dir, dir, listenIp, allowedClients, threads,
                iocDomains.stream().map(d -> "  local-zone: \"" + d + ".\" always_nxdomain")
                        .collect(Collectors.joining("\n")),
                allowedNames.stream().map(n -> "  local-zone: \"" + n + ".\" transparent")
                        .collect(Collectors.joining("\n")),
                upstreamDns);
    }

    /** {@code 1.17.1}, from {@code unbound -V}. */
    static String version() {
        return Machine.firstLine("unbound", "-V").replace("Version", "").strip();
    }

    @Override
    public String config() {
        return config;
    }

    @Override
    public ProcessHandle root() {
        return process.toHandle();
    }

    @Override
    public double cpuSeconds() {
        return ProcCpu.treeSeconds(process.toHandle());
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String logTail() {
        return LogTail.of("unbound log", log, 30);
    }

    @Override
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitReady(NetNs ns, String listenIp) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new BenchmarkFailure("unbound exited with " + process.exitValue() + "\n" + logTail());
            }
            if (DigProbe.ask(ns, listenIp, "ready.invalid") != null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new BenchmarkFailure("unbound did not answer on " + listenIp + ":53 within " + READY_TIMEOUT.toSeconds()
                + " s\n" + logTail());
    }
}

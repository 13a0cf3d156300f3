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

/**
 * A peer SNI proxy (nginx or HAProxy, see {@link Config}) running in the foreground in a namespace, listening on
 * one address and port where {@link SniRedirect} sends the runners' TLS. Tracked by the namespace, killed when it
 * closes.
 */
final class SniProxy implements ServerProcess {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    /** What differs between the peers: the config file and the commands that check and run it. */
    interface Config {
        /** A short name for logs and messages, e.g. {@code nginx}. */
        String product();

        String text(Path dir);

        List<String> checkCommand(Path conf);

        /** Runs the proxy in the foreground. */
        List<String> runCommand(Path conf);
    }

    private final Config config;
    private final String text;
    private final Process process;
    private final Path log;

    private SniProxy(Config config, String text, Process process, Path log) {
        this.config = config;
        this.text = text;
        this.process = process;
        this.log = log;
    }

    /** Writes and checks the config in {@code dir}, starts the proxy in {@code ns} and waits until it listens. */
    static SniProxy start(NetNs ns, Path dir, Config config, String listenIp, int port)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String text = config.text(dir);
        Path conf = dir.resolve(config.product() + ".conf");
        Files.writeString(conf, text);
        CommandResult check = ns.exec(Duration.ofSeconds(30), config.checkCommand(conf).toArray(String[]::new));
        if (!check.succeeded()) {
            throw new BenchmarkFailure(config.product() + " rejects " + conf + ": " + check.stdout() + check.stderr());
        }
        Path log = dir.resolve(config.product() + ".log");
        var proxy = new SniProxy(config, text, ns.start(config.runCommand(conf), log), log);
        proxy.awaitListening(ns, listenIp, port);
        return proxy;
    }

    @Override
    public String config() {
        return text;
    }

    @Override
    public ProcessHandle root() {
        return process.toHandle();
    }

    /** CPU seconds of the proxy and its workers so far. */
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
        return LogTail.of(config.product() + " log", log, 30);
    }

    @Override
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitListening(NetNs ns, String ip, int port) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new BenchmarkFailure(config.product() + " exited with " + process.exitValue() + "\n" + logTail());
            }
            CommandResult ss = ns.exec(Duration.ofSeconds(5), "ss", "-Hltn", "src", ip + ":" + port);
            if (ss.succeeded() && !ss.stdout().isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new BenchmarkFailure(config.product() + " does not listen on " + ip + ":" + port + " after "
                + READY_TIMEOUT.toSeconds() + " s\n" + logTail());
    }
}

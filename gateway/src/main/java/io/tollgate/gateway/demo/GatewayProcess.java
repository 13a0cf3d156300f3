package io.tollgate.gateway.demo;

import io.tollgate.gateway.cli.TollgateCommand;
import io.tollgate.testbed.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code tollgate gateway --config FILE} process inside a namespace, started from this JVM's own java and
 * class path (the shaded jar under the launcher, the test class path in tests), its output in a log file.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the gateway in {@code ns} and waits until it logs that it is ready. */
    static GatewayProcess start(NetNs ns, Path config, Path log) throws InterruptedException {
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TollgateCommand.class.getName(), "gateway", "--config", config.toString());
        var gateway = new GatewayProcess(ns.start(argv, log), log);
        try {
            gateway.awaitReady();
            return gateway;
        } catch (RuntimeException | InterruptedException e) {
            gateway.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    private void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (log().contains("ready:")) {
                return;
            }
            if (!process.isAlive()) {
                throw new DemoFailure("the gateway exited with " + process.exitValue() + " before it was ready:\n" + log());
            }
            Thread.sleep(50);
        }
        throw new DemoFailure("the gateway was not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + log());
    }

    private String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the gateway as systemd would (SIGTERM), and kills it if it does not stop in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}

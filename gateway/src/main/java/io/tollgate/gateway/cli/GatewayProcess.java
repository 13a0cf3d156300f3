package io.tollgate.gateway.cli;

import io.tollgate.testbed.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code tollgate gateway --config FILE} process inside a network namespace, started from this JVM's own java
 * and class path (the shaded jar under the launcher, the test class path in tests), its output in a log file. Used by
 * {@code tollgate demo}, the end-to-end tests and the benchmarks.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the gateway in {@code ns} and waits until it logs that it is ready. An existing {@code log} is replaced.
     *
     * @throws GatewayProcessException when it exits or is not ready in time; the message carries its log
     */
    public static GatewayProcess start(NetNs ns, Path config, Path log, Duration readyTimeout)
            throws InterruptedException {
        GatewayProcess gateway = launch(ns, config, log);
        try {
            gateway.awaitReady(readyTimeout);
            return gateway;
        } catch (RuntimeException | InterruptedException e) {
            gateway.kill();
            throw e;
        }
    }

    /** Starts the gateway in {@code ns} without waiting (see {@link #awaitReady}), so several nodes start at once. */
    public static GatewayProcess launch(NetNs ns, Path config, Path log) {
        List<String> argv = new ArrayList<>(tollgateCommand());
        argv.addAll(List.of("gateway", "--config", config.toString()));
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new GatewayProcessException("cannot replace the gateway log " + log + ": " + e.getMessage());
        }
        return new GatewayProcess(ns.start(argv, log), log);
    }

    /**
     * {@code tollgate} as a command line: this JVM's java and class path, with the native access the data path needs
     * and the JDK-internal access the embedded Hazelcast member wants (the shaded jar's manifest grants the same).
     */
    public static List<String> tollgateCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.management/sun.management=ALL-UNNAMED",
                "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TollgateCommand.class.getName());
    }

    /** The gateway JVM's pid ({@code ip netns exec} execs its command, so it is the started process itself). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the gateway as systemd would (SIGTERM), kills it if it does not stop in time; returns its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    /** Kills the gateway without letting it clean up, as a crash or an OOM kill would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Waits until the gateway logs that it is ready.
     *
     * @throws GatewayProcessException when it exits or is not ready in time; the message carries its log
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (log().contains("ready:")) {
                return;
            }
            if (!process.isAlive()) {
                throw new GatewayProcessException("the gateway exited with " + process.exitValue()
                        + " before it was ready:\n" + log());
            }
            Thread.sleep(50);
        }
        throw new GatewayProcessException("the gateway was not ready within " + timeout.toSeconds() + " s:\n" + log());
    }
}

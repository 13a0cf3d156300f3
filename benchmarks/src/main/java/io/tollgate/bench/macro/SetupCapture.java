package io.tollgate.bench.macro;

import io.tollgate.testbed.NetNs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet capture of TCP port 443 in a middlebox's namespace (both of its interfaces; for the direct route, the
 * namespace that routes) while a load runs, read back as the {@link SetupSteps} of the connections it saw. tcpdump
 * timestamps packets as they pass the interfaces, so the steps are the path's own share of a connection's setup, free
 * of the client's time.
 */
final class SetupCapture {
    private static final Duration READY = Duration.ofSeconds(10);
    /** How often and how long to wait for tcpdump to write what it has yet to read. */
    private static final long POLL_MILLIS = 300;
    private static final Duration CATCH_UP = Duration.ofSeconds(20);

    private SetupCapture() {}

    /** Runs {@code load} while capturing in {@code namespace}, into {@code pcap}; returns the capture's steps. */
    static SetupSteps during(NetNs namespace, Path pcap, Runnable load) throws IOException, InterruptedException {
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        // A 16 MiB capture buffer: the default 2 MiB dropped a few percent of the packets of a latency repetition.
        Process tcpdump = namespace.start(List.of("tcpdump", "-i", "any", "-nn", "-s", "128", "-B", "16384", "-U",
                "-w", pcap.toString(), "tcp port 443"), log);
        try {
            awaitListening(tcpdump, log);
            load.run();
            awaitCaughtUp(pcap);
        } finally {
            tcpdump.destroy(); // SIGTERM: tcpdump writes what it holds and exits
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        }
        return SetupSteps.of(read(pcap));
    }

    /**
     * Stopping tcpdump loses the packets it has not read yet, and on two busy cores it falls behind by a second or more
     * (8% of a repetition's packets were lost with a fixed half second): waits until the capture file stops growing.
     */
    private static void awaitCaughtUp(Path pcap) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        long size = -1;
        int still = 0;
        while (still < 2 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            long now = Files.size(pcap);
            still = now == size ? still + 1 : 0;
            size = now;
        }
    }

    private static void awaitListening(Process tcpdump, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("listening on"))) {
            if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                throw new BenchmarkFailure("tcpdump did not start capturing: "
                        + (Files.exists(log) ? Files.readString(log).strip() : "no output"));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static List<String> read(Path pcap) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-nn", "-tt")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        if (p.waitFor() != 0) {
            throw new BenchmarkFailure("tcpdump could not read its capture " + pcap);
        }
        return lines;
    }
}

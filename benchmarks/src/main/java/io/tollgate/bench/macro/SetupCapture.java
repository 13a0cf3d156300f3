package io.tollgate.bench.macro;

import io.tollgate.testbed.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet capture of TCP port 443 in a middlebox's namespace (both of its interfaces) while a load runs, read back
 * as the {@link SetupSteps} of the connections it saw. tcpdump timestamps packets as they pass the interfaces, so the
 * steps are the middlebox's own share of a connection's setup, free of the clients' and the server's.
 */
final class SetupCapture {
    private static final Duration READY = Duration.ofSeconds(10);
    /** Lets the last connection's closing packets pass before tcpdump stops, which loses what it had not read. */
    private static final long SETTLE_MILLIS = 500;

    private SetupCapture() {}

    /** Runs {@code load} while capturing in {@code namespace}, into {@code pcap}; returns the capture's steps. */
    static SetupSteps during(NetNs namespace, Path pcap, Runnable load) throws IOException, InterruptedException {
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        Process tcpdump = namespace.start(List.of("tcpdump", "-i", "any", "-nn", "-s", "128", "-U", "-w",
                pcap.toString(), "tcp port 443"), log);
        try {
            awaitListening(tcpdump, log);
            load.run();
            TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        } finally {
            tcpdump.destroy(); // SIGTERM: tcpdump writes what it holds and exits
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        }
        return SetupSteps.of(read(pcap));
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
        Process p = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-nn", "-tt").redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (p.waitFor() != 0) {
            throw new BenchmarkFailure("tcpdump could not read its capture " + pcap);
        }
        return lines;
    }
}

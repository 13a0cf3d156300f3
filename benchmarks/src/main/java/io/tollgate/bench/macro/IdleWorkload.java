package io.tollgate.bench.macro;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Workload (d): the middlebox's memory with {@code connections} established, relayed, idle connections (see
 * {@link IdleConnections}). Per repetition and middlebox: PSS of its processes (and, for the gateway, the live Java heap
 * after a full GC) before opening them and once they are all open, divided by their number. The count is 8 000 by
 * default, not 10 000: a relaying process holds two sockets per connection and the hard RLIMIT_NOFILE of these
 * machines is 20 000 per process, which no benchmark user can raise.
 */
final class IdleWorkload {
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /** One repetition on one middlebox. {@code heap*} are -1 (and growth empty) for a middlebox without a Java heap. */
    record Sample(long pssBefore, long pssAfter, long heapBefore, long heapAfter, long fdsBefore, long fdsAfter,
            double openSeconds, List<HeapHistogram.Growth> heapGrowth) {}

    private final int connections;
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();

    IdleWorkload(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("need --idle >= 1");
        }
        this.connections = connections;
    }

    int connections() {
        return connections;
    }

    /** One repetition on each middlebox path; the direct path has no middlebox and is skipped. */
    void measure(List<BenchPath> paths, int rep) throws InterruptedException {
        for (BenchPath path : paths) {
            if (path.middlebox() != null) {
                Sample s = measure(path);
                samples.computeIfAbsent(path.name(), p -> new ArrayList<>()).add(s);
                System.err.println(String.format(Locale.ROOT,
                        "[macro] idle %d      %-8s rep %d: PSS %+.0f KiB per connection%s, fds %d -> %d, opened in %.1f s",
                        connections, path.name(), rep, (s.pssAfter() - s.pssBefore()) / 1024.0 / connections,
                        s.heapBefore() < 0 ? "" : String.format(Locale.ROOT, ", live heap %+.0f bytes per connection",
                                (double) (s.heapAfter() - s.heapBefore()) / connections),
                        s.fdsBefore(), s.fdsAfter(), s.openSeconds()));
            }
        }
    }

    private Sample measure(BenchPath path) throws InterruptedException {
        ServerProcess box = path.middlebox();
        ProcessHandle root = box.root();
        HeapHistogram heapBefore = box.liveHeap();
        long pssBefore = ProcMemory.pssBytes(root);
        long fdsBefore = ProcMemory.fds(root);
        Instant start = Instant.now();
        try (IdleConnections idle = path.idle(connections)) {
            double openSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            Thread.sleep(SETTLE.toMillis());
            long fdsAfter = ProcMemory.fds(root);
            if (fdsAfter - fdsBefore < 2L * connections) {
                throw new BenchmarkFailure(path.name() + ": " + idle.size() + " idle connections are open but the"
                        + " middlebox holds only " + (fdsAfter - fdsBefore) + " more descriptors than before, fewer than"
                        + " two per connection\n" + box.logTail());
            }
            HeapHistogram heapAfter = box.liveHeap();
            long pssAfter = ProcMemory.pssBytes(root);
            if (!box.isAlive()) {
                throw new BenchmarkFailure(path.name() + ": the middlebox exited with idle connections open\n"
                        + box.logTail());
            }
            awaitDrained(path, root, fdsBefore, idle);
            return heapBefore == null
                    ? new Sample(pssBefore, pssAfter, -1, -1, fdsBefore, fdsAfter, openSeconds, List.of())
                    : new Sample(pssBefore, pssAfter, heapBefore.totalBytes(), heapAfter.totalBytes(), fdsBefore,
                            fdsAfter, openSeconds, heapAfter.largestGrowthSince(heapBefore, 10));
        }
    }

    /** Closes the connections and waits until the middlebox has released their descriptors. */
    private static void awaitDrained(BenchPath path, ProcessHandle root, long fdsBefore, IdleConnections idle)
            throws InterruptedException {
        idle.close();
        Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
        while (ProcMemory.fds(root) > fdsBefore + 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new BenchmarkFailure(path.name() + ": still " + (ProcMemory.fds(root) - fdsBefore)
                        + " more descriptors than before " + DRAIN_TIMEOUT.toSeconds()
                        + " s after the idle connections closed");
            }
            Thread.sleep(200);
        }
    }

    String markdown() {
        var md = new StringBuilder("""
                | middlebox | PSS KiB per connection (min / median / max) | live heap bytes per connection (min / median / max) | PSS MiB before → with the connections (median) | descriptors before → with (last rep) | seconds to open them (median) |
                |---|--:|--:|--:|--:|--:|
                """);
        for (var entry : samples.entrySet()) {
            List<Sample> s = entry.getValue();
            List<Double> pss = s.stream().map(x -> (x.pssAfter() - x.pssBefore()) / 1024.0 / connections).toList();
            boolean heap = s.getFirst().heapBefore() >= 0;
            List<Double> heapPer = s.stream().map(x -> (double) (x.heapAfter() - x.heapBefore()) / connections).toList();
            Sample last = s.getLast();
            md.append("| %s | %s | %s | %s → %s | %d → %d | %s |\n".formatted(entry.getKey(), spread(pss, 1),
                    heap ? spread(heapPer, 0) : "—",
                    Numbers.fixed(Stats.median(s.stream().map(x -> x.pssBefore() / 1048576.0).toList()), 0),
                    Numbers.fixed(Stats.median(s.stream().map(x -> x.pssAfter() / 1048576.0).toList()), 0),
                    last.fdsBefore(), last.fdsAfter(),
                    Numbers.fixed(Stats.median(s.stream().map(Sample::openSeconds).toList()), 1)));
        }
        for (var entry : samples.entrySet()) {
            List<HeapHistogram.Growth> growth = entry.getValue().getLast().heapGrowth();
            if (growth.isEmpty()) {
                continue;
            }
            md.append("\nWhat grew on the ").append(entry.getKey()).append(" heap (last repetition, live objects after a")
                    .append(" full GC, per idle connection):\n\n| class | instances per connection | bytes per connection |\n")
                    .append("|---|--:|--:|\n");
            for (HeapHistogram.Growth g : growth) {
                md.append("| `%s` | %s | %s |\n".formatted(g.className(),
                        Numbers.fixed((double) g.instances() / connections, 2),
                        Numbers.fixed((double) g.bytes() / connections, 0)));
            }
        }
        return md.toString();
    }

    private static String spread(List<Double> v, int decimals) {
        return Numbers.fixed(v.stream().mapToDouble(d -> d).min().orElseThrow(), decimals) + " / "
                + Numbers.fixed(Stats.median(v), decimals) + " / "
                + Numbers.fixed(v.stream().mapToDouble(d -> d).max().orElseThrow(), decimals);
    }
}

package io.tollgate.bench.macro;

import io.tollgate.bench.macro.DnsNames.NameSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One dnsperf query file (A queries, which dnsperf replays in order and from the top again until the time is up) and
 * the response codes every path must give it: a share per code, anything else fails the run.
 */
record DnsWorkload(String name, String description, List<String> names, Map<String, Double> rcodeShares) {
    /** How far a response code's share may stray from the expected one (the last pass through the file is partial). */
    private static final double SHARE_TOLERANCE = 0.02;

    /** Every allowed name once per pass; answered from the cache once warmed. */
    static DnsWorkload cached() {
        return new DnsWorkload("cached", "the " + DnsNames.ALLOWED.count() + " allowed names (cache warmed first)",
                DnsNames.ALLOWED.names(), Map.of("NOERROR", 1.0));
    }

    /** Every blocked name once per pass; NXDOMAIN from the policy, never forwarded. */
    static DnsWorkload blocked() {
        return new DnsWorkload("blocked", "the " + DnsNames.BLOCKED.count() + " names not on the allow list",
                DnsNames.BLOCKED.names(), Map.of("NXDOMAIN", 1.0));
    }

    /** In every 20 queries: 14 allowed (cached), 5 blocked, 1 IOC, interleaved. */
    static DnsWorkload mixed() {
        List<String> names = new ArrayList<>();
        int allowed = 0;
        int blocked = 0;
        int ioc = 0;
        for (int i = 0; i < 2000; i++) {
            int slot = i % 20;
            names.add(slot < 14 ? next(DnsNames.ALLOWED, allowed++)
                    : slot < 19 ? next(DnsNames.BLOCKED, blocked++) : next(DnsNames.IOC, ioc++));
        }
        return new DnsWorkload("mixed", "70% allowed (cached), 25% blocked, 5% IOC, interleaved", names,
                Map.of("NOERROR", 0.70, "NXDOMAIN", 0.30));
    }

    private static String next(NameSet set, int n) {
        return set.name(n % set.count());
    }

    /** Writes the dnsperf input ({@code name A} per line) into {@code dir}. */
    Path write(Path dir) throws IOException {
        Path file = dir.resolve(name + ".queries");
        Files.write(file, names.stream().map(n -> n + " A").toList());
        return file;
    }

    /** Fails unless the answered queries carry exactly the expected response codes in the expected shares. */
    void check(String path, DnsPerf.Result result) {
        long answered = result.rcodes().values().stream().mapToLong(Long::longValue).sum();
        boolean ok = answered > 0 && rcodeShares.keySet().containsAll(result.rcodes().keySet())
                && rcodeShares.entrySet().stream().allMatch(e -> Math.abs(
                        result.rcodes().getOrDefault(e.getKey(), 0L) / (double) answered - e.getValue()) <= SHARE_TOLERANCE);
        if (!ok) {
            throw new BenchmarkFailure(path + " answered the " + name + " workload wrongly: response codes "
                    + result.rcodes() + ", expected " + expectedShares());
        }
    }

    /** {@code NOERROR 70%, NXDOMAIN 30%}. */
    String expectedShares() {
        return rcodeShares.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + Numbers.fixed(e.getValue() * 100, 0) + "%")
                .collect(Collectors.joining(", "));
    }
}

package io.tollgate.bench.cluster;

import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.cluster.ClusterSettings;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.store.PolicyArchive;
import io.tollgate.policy.store.PolicyStore;
import io.tollgate.policy.store.PolicyStoreView;
import io.tollgate.testbed.FreePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long a policy push takes to be in force on every node: {@code N} cluster members (one JVM, each its own
 * Hazelcast member talking TCP over loopback), a {@link PolicyStoreView} per member, and repeated pushes of a new
 * version on member 0. Each sample is the time from the start of {@link PolicyStore#put} (validation, the cluster-wide
 * change lock, the write with its synchronous backup) to the moment a member's view has compiled the version and
 * handed it to its data path. Writes a Markdown table to {@code benchmarks/results/}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.tollgate.bench.cluster.PolicyPropagation [members] [pushes] [results-dir]}
 */
public final class PolicyPropagation {
    private static final int WARM_UP = 50;

    private PolicyPropagation() {}

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int pushes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path results = Path.of(args.length > 2 ? args[2] : "benchmarks/results");
        Path work = Files.createTempDirectory("tollgate-propagation");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            addresses.add(new InetSocketAddress(loopback, FreePort.onLoopback()));
        }
        PolicyDocumentParser parser = new PolicyDocumentParser(EndpointSets.defaults());
        List<ClusterMember> nodes = new ArrayList<>();
        List<PolicyStoreView> views = new ArrayList<>();
        AtomicLongArray appliedVersion = new AtomicLongArray(members);
        AtomicLongArray appliedAt = new AtomicLongArray(members);
        try {
            for (int i = 0; i < members; i++) {
                nodes.add(ClusterMember.start(new ClusterSettings(loopback, addresses.get(i).getPort(), addresses, 1)));
            }
            for (int i = 0; i < members; i++) {
                int node = i;
                views.add(PolicyStoreView.follow(nodes.get(i).hazelcast(), parser, Optional.empty(),
                        new PolicyArchive(work.resolve("node-" + i)), applied -> {
                            Integer version = applied.versions().get("bench");
                            if (version != null) {
                                appliedAt.set(node, System.nanoTime());
                                appliedVersion.set(node, version);
                            }
                        }));
            }
            awaitMembers(nodes.getFirst(), members);
            PolicyStore store = new PolicyStore(nodes.getFirst().hazelcast(), parser, Optional.empty(),
                    Clock.systemUTC());
            long[][] samples = new long[members][pushes];
            long[] putNanos = new long[pushes];
            for (int push = 1; push <= WARM_UP + pushes; push++) {
                String text = "name: bench\nscope: {repo: acme/widgets}\nallowed-endpoints: |\n  github.com:443\n"
                        + "  host-" + push + ".example.com:443\n";
                long start = System.nanoTime();
                store.put("bench", text, null, "bench");
                long put = System.nanoTime() - start;
                for (int node = 0; node < members; node++) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (appliedVersion.get(node) < push) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("member " + node + " never applied version " + push);
                        }
                        Thread.onSpinWait();
                    }
                    if (push > WARM_UP) {
                        samples[node][push - WARM_UP - 1] = appliedAt.get(node) - start;
                    }
                }
                if (push > WARM_UP) {
                    putNanos[push - WARM_UP - 1] = put;
                }
            }
            String report = report(members, pushes, samples, putNanos);
            System.out.print(report);
            Files.createDirectories(results);
            Path file = results.resolve(LocalDate.now() + "-policy-propagation.md");
            Files.writeString(file, report);
            System.out.println("written to " + file);
        } finally {
            views.forEach(PolicyStoreView::close);
            nodes.reversed().forEach(ClusterMember::close);
        }
    }

    private static String report(int members, int pushes, long[][] samples, long[] putNanos) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Policy propagation, ").append(LocalDate.now()).append("\n\n");
        out.append(members).append(" Hazelcast members in one JVM over loopback TCP (backup-count 1), ")
                .append(pushes).append(" pushes of a new version on member 0 after ").append(WARM_UP)
                .append(" warm-up pushes; ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, kernel ").append(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip())
                .append(", load average ").append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0])
                .append(" at the end.\n");
        out.append("Time from the start of the push (validate, lock, write with its synchronous backup) until the")
                .append(" member's view has compiled the version for its data path.\n\n");
        out.append("| | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
        out.append(row("push call on member 0", putNanos));
        for (int node = 0; node < members; node++) {
            out.append(row("in force on member " + node, samples[node]));
        }
        long[] slowest = new long[pushes];
        for (int push = 0; push < pushes; push++) {
            for (long[] node : samples) {
                slowest[push] = Math.max(slowest[push], node[push]);
            }
        }
        out.append(row("in force on every member", slowest));
        return out.toString();
    }

    private static String row(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return "| " + what + " | " + ms(sorted[(int) Math.floor(0.50 * (sorted.length - 1))]) + " | "
                + ms(sorted[(int) Math.ceil(0.99 * (sorted.length - 1))]) + " | " + ms(sorted[sorted.length - 1])
                + " |\n";
    }

    private static String ms(long nanos) {
        return String.format("%.2f", nanos / 1e6);
    }

    private static void awaitMembers(ClusterMember member, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (member.hazelcast().getCluster().getMembers().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the members did not form one cluster within 60 s");
            }
            Thread.sleep(50);
        }
    }
}

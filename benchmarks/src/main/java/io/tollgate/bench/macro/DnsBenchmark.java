package io.tollgate.bench.macro;

import io.tollgate.testbed.RootCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Macro benchmark: queries/s and latency of the runner's DNS with {@code dnsperf} from the runner namespace, through
 * the real gateway's dns-firewall versus unbound enforcing the same allow and IOC lists, in the same run with the
 * paths alternating. Run it through {@code benchmarks/macro/run-dns.sh}; options: {@code --seconds N --reps N
 * --clients N --threads N --outstanding N --gateway-jar FILE --results-dir DIR --gateway-revision REV}. Exits 1
 * with a message on stderr if a path answers wrongly, loses every query or leaks a blocked name upstream.
 */
public final class DnsBenchmark {
    static final int WARM_UP_SECONDS = 3;

    private final int reps;
    private final DnsPerf.Settings settings;
    private final Path gatewayJar;
    private final Path resultsDir;
    private final String gatewayRevision;

    private DnsBenchmark(int reps, DnsPerf.Settings settings, Path gatewayJar, Path resultsDir, String gatewayRevision) {
        this.reps = reps;
        this.settings = settings;
        this.gatewayJar = gatewayJar;
        this.resultsDir = resultsDir;
        this.gatewayRevision = gatewayRevision;
    }

    public static void main(String[] args) {
        MacroMain.run("DNS BENCHMARK", () -> parse(args).run());
    }

    private static DnsBenchmark parse(String[] args) {
        Options o = Options.parse(args, List.of("seconds", "reps", "clients", "threads", "outstanding", "gateway-jar",
                "results-dir", "gateway-revision"));
        var settings = new DnsPerf.Settings(o.integer("seconds", 5), o.integer("clients", 10), o.integer("threads", 1),
                o.integer("outstanding", 100), 2);
        int reps = o.integer("reps", 3);
        if (settings.seconds() < 1 || settings.clients() < 1 || settings.threads() < 1 || settings.outstanding() < 1
                || reps < 1) {
            throw new IllegalArgumentException("--seconds, --reps, --clients, --threads and --outstanding must be >= 1");
        }
        return new DnsBenchmark(reps, settings, o.path("gateway-jar", "gateway/target/tollgate.jar"),
                o.path("results-dir", "benchmarks/results"), o.text("gateway-revision", "unknown"));
    }

    private void run() throws IOException, InterruptedException {
        if (!RootCheck.isRoot()) {
            throw new BenchmarkFailure("needs root to build network namespaces and run nftables");
        }
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Machine machine = Machine.describe();
        List<DnsWorkload> workloads = List.of(DnsWorkload.cached(), DnsWorkload.blocked(), DnsWorkload.mixed());
        var table = new DnsResultTable();
        Map<String, String> configs = new LinkedHashMap<>();
        Map<String, Integer> upstreamDuringMeasurement = new LinkedHashMap<>();

        try (WorkDir dir = WorkDir.create("tollgate-dns-")) {
            Map<DnsWorkload, Path> files = new LinkedHashMap<>();
            for (DnsWorkload workload : workloads) {
                files.put(workload, workload.write(dir.path()));
            }
            log("building the tollgate and the unbound topologies, a FakeDns with "
                    + (DnsNames.ALLOWED.count() + DnsNames.BLOCKED.count() + DnsNames.IOC.count()) + " names in each");
            try (DnsPath tollgate = DnsPath.tollgate(dir.path().resolve("gateway"), gatewayJar);
                    DnsPath unbound = DnsPath.unbound(dir.path().resolve("unbound"), machine.cores())) {
                List<DnsPath> paths = List.of(tollgate, unbound);
                DnsWorkload cached = workloads.getFirst();
                var warmUp = new DnsPerf.Settings(WARM_UP_SECONDS, settings.clients(), settings.threads(),
                        settings.outstanding(), settings.timeoutSeconds());
                for (DnsPath path : paths) {
                    configs.put(path.name(), path.config());
                    path.spotCheck();
                    path.warm(cached, files.get(cached));
                    log("spot checks passed, cache warmed, warm-up load (not counted): " + path.name());
                    for (DnsWorkload workload : workloads) {
                        path.measure(workload, files.get(workload), warmUp);
                    }
                    upstreamDuringMeasurement.put(path.name(), -path.upstreamQueries());
                }
                for (int rep = 1; rep <= reps; rep++) {
                    for (DnsWorkload workload : workloads) {
                        for (DnsPath path : paths) {
                            DnsPath.Sample sample = path.measure(workload, files.get(workload), settings);
                            table.add(workload.name(), path.name(), sample);
                            DnsPerf.Result r = sample.result();
                            log("%-8s %-8s rep %d: %8.0f q/s, avg latency %.2f ms, lost %d of %d, server CPU %.2f s"
                                    .formatted(workload.name(), path.name(), rep, r.queriesPerSecond(),
                                            r.averageLatencySeconds() * 1e3, r.lost(), r.sent(),
                                            sample.serverCpuSeconds()));
                        }
                    }
                }
                for (DnsPath path : paths) {
                    path.spotCheck();
                    path.verifyNothingLeaked();
                    upstreamDuringMeasurement.merge(path.name(), path.upstreamQueries(), Integer::sum);
                }
            }
        }

        String report = new DnsReport(started, machine, gatewayRevision, settings, reps, workloads, configs,
                upstreamDuringMeasurement, table).markdown();
        System.out.print(report);
        Files.createDirectories(resultsDir);
        Path out = resultsDir.resolve(LocalDate.ofInstant(started.toInstant(), ZoneOffset.UTC) + "-dns.md");
        Files.writeString(out, report);
        log("written to " + out);
    }

    static void log(String message) {
        System.err.println("[dns] " + message);
    }
}

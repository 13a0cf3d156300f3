package io.tollgate.bench.macro;

import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.ServerIdentity;
import io.tollgate.testbed.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Macro benchmark: end-to-end throughput of a TLS bulk download from the runner namespace to nginx in the internet
 * namespace, directly routed versus through the real gateway, measured in the same run with the paths alternating.
 * Run it through {@code benchmarks/macro/run.sh}; options: {@code --size-mib N --reps N --streams N
 * --gateway-jar FILE --results-dir DIR}. Exits 1 with a message on stderr if anything is blocked, truncated or broken.
 */
public final class ThroughputBenchmark {
    private final long sizeMib;
    private final int reps;
    private final int streams;
    private final Path gatewayJar;
    private final Path resultsDir;
    private final String gatewayRevision;

    private ThroughputBenchmark(long sizeMib, int reps, int streams, Path gatewayJar, Path resultsDir,
            String gatewayRevision) {
        this.sizeMib = sizeMib;
        this.reps = reps;
        this.streams = streams;
        this.gatewayJar = gatewayJar;
        this.resultsDir = resultsDir;
        this.gatewayRevision = gatewayRevision;
    }

    public static void main(String[] args) {
        MacroMain.run("THROUGHPUT BENCHMARK", () -> parse(args).run());
    }

    private static ThroughputBenchmark parse(String[] args) {
        Options o = Options.parse(args,
                List.of("size-mib", "reps", "streams", "gateway-jar", "results-dir", "gateway-revision"));
        long sizeMib = o.integer("size-mib", 1024);
        int reps = o.integer("reps", 5);
        int streams = o.integer("streams", 16);
        if (reps < 1) {
            throw new IllegalArgumentException("need --reps >= 1");
        }
        return new ThroughputBenchmark(sizeMib, reps, streams, o.path("gateway-jar", "gateway/target/tollgate.jar"),
                o.path("results-dir", "benchmarks/results"), o.text("gateway-revision", "unknown"));
    }

    private void run() throws IOException, InterruptedException {
        if (!RootCheck.isRoot()) {
            throw new BenchmarkFailure("needs root to build network namespaces and run nftables");
        }
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Machine machine = Machine.describe();
        var bulk = new BulkWorkload(sizeMib, streams);
        String tls;

        try (WorkDir dir = WorkDir.create("tollgate-throughput-")) {
            Path work = dir.path();
            Path www = Files.createDirectories(work.resolve("www"));
            bulk.writeFiles(www);
            TestCa ca = TestCa.create("Tollgate benchmark CA");
            ServerIdentity identity = ca.issue(List.of(BenchPath.HOST), List.of(BenchPath.IP));
            log("building the direct and the tollgate topologies, nginx in each internet namespace");
            try (BenchPath direct = BenchPath.direct(ca, identity, work.resolve("direct"), www);
                    BenchPath tollgate = BenchPath.tollgate(ca, identity, work.resolve("tollgate"), www,
                            gatewayJar)) {
                List<BenchPath> paths = List.of(direct, tollgate);
                for (BenchPath path : paths) {
                    log("warm-up (not counted): " + path.name());
                    bulk.warmUp(path);
                    path.verify();
                }
                for (int rep = 1; rep <= reps; rep++) {
                    bulk.measure(paths, rep);
                }
                for (BenchPath path : paths) {
                    path.verify();
                }
                tls = direct.nginx().lastTls();
            }
        }

        String report = report(started, machine, tls, bulk.fileBytes(), bulk.partBytes(), bulk.table());
        System.out.print(report);
        Files.createDirectories(resultsDir);
        Path out = resultsDir.resolve(LocalDate.ofInstant(started.toInstant(), ZoneOffset.UTC) + "-throughput.md");
        Files.writeString(out, report);
        log("written to " + out);
    }

    private String report(ZonedDateTime started, Machine machine, String tls, long fileBytes,
            long partBytes, ResultTable table) {
        return """
                # Throughput, direct vs through the gateway

                | | |
                |---|---|
                | date | %s |
                | command | `benchmarks/macro/run.sh --size-mib %d --reps %d --streams %d` |
                | gateway | commit %s, splice relay, block policy allowing the host on 443, the JVM options of `gateway/jvm.options` |
                | machine | `nproc` = %d (%s), kernel `%s`, load average at start %s |
                | JDK | %s |
                | server | %s in the internet namespace, static file, %s, HTTP/1.1 |
                | client | %s in the runner namespace |
                | file size | 1 stream: %d MiB; %d streams: %d × %d MiB at once |
                | repetitions | %d per figure and path, direct and tollgate alternating, after one uncounted warm-up each |

                MB/s = 10^6 bytes per second of response body. 1 stream: curl's own `time_total` (handshake
                included). %d streams: sum of bytes / wall time of the whole batch. CPU per GB = user + system CPU
                seconds per 10^9 bytes downloaded, of the middlebox (the gateway JVM), of nginx (master and workers) and of the curl
                processes; packet forwarding in softirq is charged to whichever process happens to run and is not
                attributed. Load average at the end: %s.

                %s""".formatted(
                DateTimeFormatter.ISO_INSTANT.format(started.withNano(0)), sizeMib, reps, streams,
                gatewayRevision,
                machine.cores(), machine.cpuModel(), machine.kernel(), machine.loadAverage(), machine.jdk(),
                NginxServer.version(), tls, CurlLoad.version(), fileBytes >> 20, streams, streams, partBytes >> 20, reps,
                streams, Machine.readLoadAverage(), table.markdown());
    }

    private static void log(String message) {
        System.err.println("[throughput] " + message);
    }
}

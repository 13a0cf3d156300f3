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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Macro benchmark: the gateway against its peers, nginx ({@code stream} + {@code ssl_preread}) and HAProxy
 * ({@code req.ssl_sni}), each enforcing the same one-name allowlist, and the direct route, in one run with the
 * paths alternating: bulk TLS downloads (1 and N streams), new TLS connections per second (h2load), connection
 * setup latency under light load (sequential curl handshakes) and memory with idle relayed connections. Run it through
 * {@code benchmarks/macro/run-peers.sh}; options: {@code --size-mib N --reps N --streams N --connections N --clients N --handshakes N --warmup-connections N
 * --idle N --workloads all|bulk,connections,latency,idle --gateway-jar FILE --results-dir DIR}; the environment variable
 * {@code TOLLGATE_BENCH_GATEWAY_JVM_OPTS} adds JVM options to the gateway (e.g. a JFR recording). Exits 1 with a
 * message on stderr if any path misdelivers, fails to refuse, or breaks.
 */
public final class PeerBenchmark {
    private static final String CONNECTIONS_FIGURE = "new TLS conns";

    private final BulkWorkload bulk;
    private final int reps;
    private final int connections;
    private final int clients;
    private final int handshakes;
    private final Path gatewayJar;
    private final Path resultsDir;
    private final String gatewayRevision;
    private final Set<Workload> workloads;
    private final int warmupConnections;
    private final IdleWorkload idle;
    private final ResultTable connectionTable =
            new ResultTable("conn/s", "CPU ms per connection", 1e3, "h2load");
    private final LatencyTable latencyTable = new LatencyTable();
    private final SetupStepTable setupSteps = new SetupStepTable();

    private PeerBenchmark(BulkWorkload bulk, int reps, int connections, int clients, int handshakes, Path gatewayJar,
            Path resultsDir, String gatewayRevision, Set<Workload> workloads, int warmupConnections, IdleWorkload idle) {
        this.bulk = bulk;
        this.reps = reps;
        this.connections = connections;
        this.clients = clients;
        this.handshakes = handshakes;
        this.gatewayJar = gatewayJar;
        this.resultsDir = resultsDir;
        this.gatewayRevision = gatewayRevision;
        this.workloads = workloads;
        this.warmupConnections = warmupConnections;
        this.idle = idle;
    }

    public static void main(String[] args) {
        MacroMain.run("PEER BENCHMARK", () -> parse(args).run());
    }

    private static PeerBenchmark parse(String[] args) {
        Options o = Options.parse(args, List.of("size-mib", "reps", "streams", "connections", "clients", "handshakes",
                "gateway-jar", "results-dir", "gateway-revision", "workloads",
                "warmup-connections", "idle"));
        int reps = o.integer("reps", 3);
        int connections = o.integer("connections", 5000);
        int clients = o.integer("clients", 32);
        int handshakes = o.integer("handshakes", 200);
        if (reps < 1 || clients < 1 || connections < clients || handshakes < 100) {
            throw new IllegalArgumentException("need --reps >= 1, --connections >= --clients >= 1, --handshakes >= 100");
        }
        return new PeerBenchmark(new BulkWorkload(o.integer("size-mib", 256), o.integer("streams", 16)), reps,
                connections, clients, handshakes, o.path("gateway-jar", "gateway/target/tollgate.jar"),
                o.path("results-dir", "benchmarks/results"), o.text("gateway-revision", "unknown"),
                Workload.parse(o.text("workloads", "all")), o.integer("warmup-connections", 15_000),
                new IdleWorkload(o.integer("idle", 8_000)));
    }

    private void run() throws IOException, InterruptedException {
        if (!RootCheck.isRoot()) {
            throw new BenchmarkFailure("needs root to build network namespaces and run nftables");
        }
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Machine machine = Machine.describe();
        int workers = machine.cores();
        String tls;
        List<String> configs = new ArrayList<>();

        try (WorkDir dir = WorkDir.create("tollgate-peers-")) {
            Path work = dir.path();
            Path www = Files.createDirectories(work.resolve("www"));
            bulk.writeFiles(www);
            TestCa ca = TestCa.create("Tollgate benchmark CA");
            ServerIdentity identity = ca.issue(List.of(BenchPath.HOST), List.of(BenchPath.IP));
            log("building the direct, tollgate, nginx and haproxy topologies, nginx in each internet namespace");
            try (BenchPath direct = BenchPath.direct(ca, identity, work.resolve("direct"), www);
                    BenchPath tollgate = BenchPath.tollgate(ca, identity, work.resolve("tollgate"), www, gatewayJar);
                    BenchPath nginx = BenchPath.nginxProxy(ca, identity, work.resolve("nginx"), www, workers);
                    BenchPath haproxy = BenchPath.haproxy(ca, identity, work.resolve("haproxy"), www, workers)) {
                List<BenchPath> paths = List.of(direct, tollgate, nginx, haproxy);
                for (BenchPath path : paths) {
                    log("warm-up (not counted) and checks: " + path.name());
                    if (workloads.contains(Workload.BULK)) {
                        bulk.warmUp(path);
                    }
                    // curl's connections and the checks' refused probe first: code the JIT compiles during the h2load
                    // warm-up then already knows these paths, instead of meeting them after it (a deoptimization and
                    // a recompilation that the first measured repetition paid for, 0.55 against 0.33 ms per
                    // connection for the gateway).
                    handshakes(path);
                    path.verify();
                    // The JIT compiles the gateway's per-connection code only after thousands of connections: warm up
                    // every path with the same number, more than one run's worth, so that no repetition pays for it.
                    newConnections(path, warmupConnections);
                    // Then what a middlebox in service meets after every quiet spell, as the measured repetitions do:
                    // the first connection finds the name's TTL run out (for the gateway: an upstream query answered
                    // on the resolver's thread and handed back to the event loop), which the compiled code above has
                    // never seen. Met first in a measured repetition, it deoptimized the gateway's decision path,
                    // which then ran as profiling C1 code through all the latency repetitions (2 000 connections,
                    // under C2's threshold of 5 000). Met here, the connections after it recompile that code.
                    Thread.sleep(TimeUnit.SECONDS.toMillis(BenchPath.DNS_TTL_SECONDS + 1));
                    handshakes(path);
                    newConnections(path, warmupConnections / 2);
                }
                for (int rep = 1; rep <= reps; rep++) {
                    if (workloads.contains(Workload.BULK)) {
                        bulk.measure(paths, rep);
                    }
                    if (workloads.contains(Workload.CONNECTIONS)) {
                        for (BenchPath path : paths) {
                            Measurement.record(connectionTable, CONNECTIONS_FIGURE, path, rep,
                                    () -> newConnections(path, connections));
                        }
                    }
                    if (workloads.contains(Workload.LATENCY)) {
                        for (BenchPath path : paths) {
                            latencyTable.add(path.name(), handshakes(path));
                        }
                    }
                    if (workloads.contains(Workload.IDLE)) {
                        idle.measure(paths, rep);
                    }
                }
                if (workloads.contains(Workload.LATENCY)) {
                    for (BenchPath path : paths) {
                        log("setup latency with a packet capture (not counted above): " + path.name());
                        setupSteps.add(path.name(), path.captureSetup(work.resolve(path.name() + "-setup.pcap"),
                                () -> handshakes(path)));
                    }
                }
                for (BenchPath path : paths) {
                    path.verify();
                    if (path.middlebox() != null) {
                        configs.add("### " + path.name() + "\n\n```\n" + ConfigExcerpt.of(path.middlebox().config())
                                + "```\n");
                    }
                }
                tls = direct.nginx().lastTls();
            }
        }

        String report = report(started, machine, tls, configs);
        System.out.print(report);
        Files.createDirectories(resultsDir);
        Path out = resultsDir.resolve(LocalDate.ofInstant(started.toInstant(), ZoneOffset.UTC) + "-peers.md");
        Files.writeString(out, report);
        log("written to " + out);
    }

    private H2Load.Result newConnections(BenchPath path, int count) {
        return path.connections(h2load -> h2load.run(BenchPath.url(NginxServer.SMALL_PATH), count, clients));
    }

    private List<Double> handshakes(BenchPath path) {
        return path.download(curl -> curl.handshakes(BenchPath.url(NginxServer.SMALL_PATH), handshakes));
    }

    private List<String> gatewayJvmOptions() {
        try {
            return GatewayProcess.jvmOptions(gatewayJar);
        } catch (IOException e) {
            throw new BenchmarkFailure("cannot read the gateway's jvm.options beside " + gatewayJar + ": " + e.getMessage());
        }
    }

    private String report(ZonedDateTime started, Machine machine, String tls, List<String> configs) {
        List<String> jvmOptions = gatewayJvmOptions();
        return """
                # Tollgate vs nginx and HAProxy

                | | |
                |---|---|
                | date | %s |
                | command | `benchmarks/macro/run-peers.sh --size-mib %d --reps %d --streams %d --connections %d --clients %d --handshakes %d --warmup-connections %d --idle %d --workloads %s` |
                | gateway | commit %s, splice relay, TPROXY, block policy allowing the host on 443, JVM options: %s |
                | peers | %s `stream` + `ssl_preread`; HAProxy %s; each with %d workers/threads in the gateway namespace, behind an nftables `redirect` of the runner interface's TCP 443 to their port (other forwarding from the runners dropped) |
                | machine | `nproc` = %d (%s), kernel `%s`, load average at start %s (shared with other work) |
                | JDK | %s |
                | server | %s in the internet namespace, %s (curl), no TLS session resumption |
                | clients | %s and %s in the runner namespace |
                | repetitions | %d per figure and path, the paths alternating, after an uncounted warm-up of each path (bulk once, one latency run, %d h2load connections, a quiet spell past the names' TTL, another latency run and half as many h2load connections) |

                ## Bulk download

                MB/s = 10^6 bytes per second of response body. 1 stream: curl's `time_total` of one %d MiB file;
                %d streams: %d curls at once (%d MiB each), bytes over the wall time of the batch. CPU per GB = user +
                system CPU seconds per 10^9 bytes, of the middlebox processes, of the server nginx and of the curls.

                %s
                Middlebox CPU per repetition, as cores kept busy per Gbit/s relayed (= CPU s per GB × 0.125; 1.00 means
                one core relays 1 Gbit/s):

                %s
                ## New TLS connections per second

                `h2load --h1 -n %d -c %d`: %d connections, at most %d at once, each a full TLS handshake, one short
                request (`GET /%s`, a 3-byte body) and a close by the server. CPU per connection as above.

                %s
                Middlebox CPU per repetition:

                %s
                ## Connection setup latency under light load

                %d connections one after the other from one curl process (`--no-sessionid`, a new connection each):
                `time_appconnect`, from the start of the transfer to the end of the TLS handshake, which through a
                middlebox includes its decision and its own connection to the server. p50 and p99 (nearest rank) of
                each repetition; added = the path's median minus direct's.

                %s
                ## Memory with idle connections

                %d connections opened from the runner namespace by 32 threads of the harness, each sending one real
                ClientHello (JDK TLS client, SNI `%s`) and reading the first bytes of the server's answer (proof that
                it was relayed), then silent: established and relayed through the middlebox (for Tollgate: spliced),
                idle. Before opening them and 2 s after the last one is open: PSS (`/proc/PID/smaps_rollup`) of the
                middlebox's processes and, for the gateway, the live Java heap after a full GC (`jcmd PID
                GC.class_histogram`, total bytes); per connection = difference / %d. Kernel memory (socket buffers) is
                in no process's PSS and is not counted. The default count is 8 000, not 10 000: a relaying process
                holds two sockets per connection and the hard `RLIMIT_NOFILE` here is 20 000 per process
                (CAP_SYS_RESOURCE is absent), so 10 000 would need 20 000 descriptors plus the process's own; every
                middlebox is measured at the same count. No direct row: without a middlebox nothing in between holds
                memory.

                %s
                Load average at the end: %s.

                ## Middlebox configurations

                %s""".formatted(
                DateTimeFormatter.ISO_INSTANT.format(started.withNano(0)), bulk.fileBytes() >> 20, reps,
                bulk.fileBytes() / bulk.partBytes(), connections, clients, handshakes, warmupConnections,
                idle.connections(), workloads.stream().map(Workload::option).collect(Collectors.joining(",")),
                gatewayRevision, "`" + String.join(" ", jvmOptions) + "`",
                NginxServer.version(), HaproxySniProxy.version(), machine.cores(), machine.cores(), machine.cpuModel(),
                machine.kernel(), machine.loadAverage(), machine.jdk(), NginxServer.version(), tls, CurlLoad.version(),
                H2Load.version(), reps, warmupConnections, bulk.fileBytes() >> 20, bulk.fileBytes() / bulk.partBytes(),
                bulk.fileBytes() / bulk.partBytes(), bulk.partBytes() >> 20,
                section(Workload.BULK, bulk.table()::markdown),
                section(Workload.BULK, () -> bulk.table().middleboxCostSpread("cores per Gbit/s", 0.125)),
                connections, clients, connections, clients, NginxServer.SMALL_PATH,
                section(Workload.CONNECTIONS, connectionTable::markdown),
                section(Workload.CONNECTIONS, () -> connectionTable.middleboxCostSpread("CPU ms per connection", 1)),
                handshakes, section(Workload.LATENCY, this::latencySection), idle.connections(), BenchPath.HOST,
                idle.connections(), section(Workload.IDLE, idle::markdown),
                Machine.readLoadAverage(), configs.stream().collect(Collectors.joining("\n")));
    }

    private String latencySection() {
        return latencyTable.markdown() + """

                Where a path's share of the setup goes: one more repetition per path after the measured ones, with
                tcpdump capturing both interfaces of the middlebox's namespace (the router's for the direct route),
                timestamps as packets pass them, so the client's time is left out (the capture's own cost makes these
                repetitions slower than the ones above). *Through*: the runner's ClientHello in → the server's first
                bytes out to the runner, the whole server side of the handshake, which the direct route has too; the
                middlebox's own steps; and the server's work between them, which a middlebox lengthens when it takes
                the core the server would run on. Each connection's steps, pooled:

                """ + setupSteps.markdown();
    }

    private String section(Workload workload, Supplier<String> table) {
        return workloads.contains(workload) ? table.get()
                : "Not measured in this run (`--workloads` left out " + workload.option() + ").\n";
    }

    private static void log(String message) {
        System.err.println("[peers] " + message);
    }
}

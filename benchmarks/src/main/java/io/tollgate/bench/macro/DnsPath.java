package io.tollgate.bench.macro;

import io.tollgate.bench.macro.DigProbe.Answer;
import io.tollgate.testbed.FakeDns;
import io.tollgate.testbed.RecordedQuery;
import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One DNS server for the runner, in its own testbed topology: the runner asks the gateway's runner-facing address
 * on port 53 and an authoritative FakeDns in the internet namespace holds the names. {@code tollgate}: the real
 * gateway, its nftables rules redirecting the runner's port 53 to the dns-firewall. {@code unbound}: unbound
 * listening on that address itself, no gateway. Both exist side by side for the whole run.
 */
final class DnsPath implements AutoCloseable {
    /** Where the runner sends its queries (port 53). */
    static final String SERVER = Topology.GATEWAY_RUNNER_IP;
    /** The authoritative server both paths forward allowed names to. */
    static final String UPSTREAM_IP = "198.51.100.53";
    /** Far above any rate the benchmark reaches, so it measures the dns-firewall and not its per-runner limiter. */
    static final int GATEWAY_DNS_RATE_LIMIT = 10_000_000;

    /** A measurement: dnsperf's statistics and the CPU time the server under test used meanwhile. */
    record Sample(DnsPerf.Result result, double serverCpuSeconds) {}

    private interface Starter {
        ServerProcess start(Topology topology) throws IOException, InterruptedException;
    }

    private final String name;
    private final Topology topology;
    private final FakeDns upstream;
    private final ServerProcess server;
    private final DnsPerf dnsperf;

    private DnsPath(String name, Topology topology, FakeDns upstream, ServerProcess server) {
        this.name = name;
        this.topology = topology;
        this.upstream = upstream;
        this.server = server;
        this.dnsperf = new DnsPerf(topology.runner(), SERVER);
    }

    static DnsPath tollgate(Path dir, Path gatewayJar) throws IOException, InterruptedException {
        var setup = new GatewayProcess.Setup(DnsNames.ALLOWED.names().stream().map(n -> n + ":443").toList(),
                List.of(DnsNames.IOC.zone()), UPSTREAM_IP, GATEWAY_DNS_RATE_LIMIT, GATEWAY_DNS_RATE_LIMIT);
        return create("tollgate", topology -> GatewayProcess.start(topology, gatewayJar, dir, setup));
    }

    static DnsPath unbound(Path dir, int threads) throws IOException, InterruptedException {
        return create("unbound", topology -> UnboundServer.start(topology.gateway(), dir, SERVER, "10.10.0.0/24",
                UPSTREAM_IP, threads, DnsNames.ALLOWED.names(), List.of(DnsNames.IOC.zone())));
    }

    private static DnsPath create(String name, Starter starter) throws IOException, InterruptedException {
        Topology topology = Topology.create();
        FakeDns upstream = null;
        try {
            upstream = FakeDns.start(topology, UPSTREAM_IP);
            DnsNames.load(upstream);
            return new DnsPath(name, topology, upstream, starter.start(topology));
        } catch (RuntimeException | IOException | InterruptedException e) {
            if (upstream != null) {
                upstream.close();
            }
            topology.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    /** The server's configuration file as written. */
    String config() {
        return server.config();
    }

    /**
     * Asks with {@code dig} from the runner: an allowed name must answer its address, a blocked and an IOC name
     * NXDOMAIN without an answer.
     */
    void spotCheck() {
        expect(DnsNames.ALLOWED.name(7), "NOERROR", List.of(DnsNames.ALLOWED.address(7)));
        expect(DnsNames.BLOCKED.name(7), "NXDOMAIN", List.of());
        expect(DnsNames.IOC.name(3), "NXDOMAIN", List.of());
    }

    private void expect(String qname, String status, List<String> addresses) {
        Answer answer = DigProbe.ask(topology.runner(), SERVER, qname);
        Answer expected = new Answer(status, addresses);
        if (!expected.equals(answer)) {
            throw new BenchmarkFailure(name + " answers " + qname + " wrongly: " + (answer == null ? "no answer" : answer)
                    + ", expected " + expected + "\n" + server.logTail());
        }
    }

    /** Sends every query of {@code file} once, so that the allowed names are in the server's cache. */
    void warm(DnsWorkload workload, Path file) {
        DnsPerf.Result r = run(() -> dnsperf.once(file));
        if (r.completed() != workload.names().size()) {
            throw new BenchmarkFailure(name + ": cache warm-up answered " + r.completed() + " of "
                    + workload.names().size() + " queries");
        }
        workload.check(name, r);
    }

    /** Runs {@code workload} with {@code settings}, checks the response codes and measures the server's CPU time. */
    Sample measure(DnsWorkload workload, Path file, DnsPerf.Settings settings) {
        double cpuBefore = server.cpuSeconds();
        DnsPerf.Result r = run(() -> dnsperf.run(file, settings));
        double cpu = server.cpuSeconds() - cpuBefore;
        workload.check(name, r);
        return new Sample(r, cpu);
    }

    private DnsPerf.Result run(Supplier<DnsPerf.Result> load) {
        DnsPerf.Result result;
        try {
            result = load.get();
        } catch (BenchmarkFailure e) {
            throw new BenchmarkFailure(name + " path: " + e.getMessage() + "\n" + server.logTail(), e);
        }
        if (!server.isAlive()) {
            throw new BenchmarkFailure(name + ": the server exited during the run\n" + server.logTail());
        }
        return result;
    }

    /** How many queries the authoritative server has received so far. */
    int upstreamQueries() {
        return upstream.queries().size();
    }

    /** Fails if a blocked or IOC name ever reached the authoritative server. */
    void verifyNothingLeaked() {
        Set<String> leaked = upstream.queries().stream().map(RecordedQuery::name)
                .filter(n -> n.endsWith("." + DnsNames.IOC.zone()) || n.startsWith(DnsNames.BLOCKED.prefix()))
                .collect(Collectors.toSet());
        if (!leaked.isEmpty()) {
            throw new BenchmarkFailure(name + " forwarded names it should have blocked: "
                    + leaked.stream().sorted().limit(10).toList());
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            upstream.close();
            topology.close();
        }
    }
}

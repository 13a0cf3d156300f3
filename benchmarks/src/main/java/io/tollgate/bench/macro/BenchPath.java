package io.tollgate.bench.macro;

import io.tollgate.bench.macro.CurlLoad.Transfer;
import io.tollgate.testbed.FakeDns;
import io.tollgate.testbed.ServerIdentity;
import io.tollgate.testbed.TestCa;
import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One way from the runner to the server, in its own testbed topology with its own nginx in the internet namespace:
 * {@code direct} (the gateway namespace only routes; the internet gets a route back to the runner subnet) or
 * {@code tollgate} (the real gateway intercepts with TPROXY; no route back, so only its own connections work).
 * Both exist side by side for the whole run, so alternating between them needs no restart.
 */
final class BenchPath implements AutoCloseable {
    static final String HOST = "bulk.bench.example";
    static final String IP = "198.51.100.80";
    /** The gateway's upstream resolver: it checks that the name the runner asks for really has the address. */
    static final String DNS_IP = "198.51.100.53";

    private final String name;
    private final Topology topology;
    private final NginxServer nginx;
    private final GatewayProcess gateway;
    private final FakeDns dns;
    private final CurlLoad curl;

    private BenchPath(String name, Topology topology, NginxServer nginx, GatewayProcess gateway, FakeDns dns,
            CurlLoad curl) {
        this.name = name;
        this.topology = topology;
        this.nginx = nginx;
        this.gateway = gateway;
        this.dns = dns;
        this.curl = curl;
    }

    static BenchPath direct(TestCa ca, ServerIdentity identity, Path dir, Path docRoot)
            throws IOException, InterruptedException {
        Topology topology = Topology.create();
        try {
            topology.internet().execOrThrow(Duration.ofSeconds(10),
                    "ip", "route", "add", "10.10.0.0/24", "via", Topology.GATEWAY_UPSTREAM_IP);
            NginxServer nginx = serve(topology, ca, identity, dir, docRoot);
            return new BenchPath("direct", topology, nginx, null, null,
                    new CurlLoad(topology.runner(), ca.certificatePem()));
        } catch (RuntimeException | IOException | InterruptedException e) {
            topology.close();
            throw e;
        }
    }

    static BenchPath tollgate(TestCa ca, ServerIdentity identity, Path dir, Path docRoot, Path gatewayJar)
            throws IOException, InterruptedException {
        Topology topology = Topology.create();
        try {
            NginxServer nginx = serve(topology, ca, identity, dir, docRoot);
            FakeDns dns = FakeDns.start(topology, DNS_IP).a(HOST, IP);
            GatewayProcess gateway = GatewayProcess.start(topology, gatewayJar, dir.resolve("gateway"),
                    GatewayProcess.Setup.allowing(HOST, DNS_IP));
            return new BenchPath("tollgate", topology, nginx, gateway, dns,
                    new CurlLoad(topology.runner(), ca.certificatePem()));
        } catch (RuntimeException | IOException | InterruptedException e) {
            topology.close();
            throw e;
        }
    }

    private static NginxServer serve(Topology topology, TestCa ca, ServerIdentity identity, Path dir, Path docRoot)
            throws IOException, InterruptedException {
        topology.addInternetAddress(IP);
        topology.setRunnerHosts(Map.of(HOST, IP));
        return NginxServer.start(topology.internet(), dir.resolve("nginx"), HOST, IP, identity, ca.certificatePem(),
                docRoot);
    }

    String name() {
        return name;
    }

    NginxServer nginx() {
        return nginx;
    }

    /** The gateway, or null on the direct path. */
    GatewayProcess gateway() {
        return gateway;
    }

    /** Runs a download on this path; a failure names the path and, through the gateway, its verdicts and log. */
    Transfer download(Function<CurlLoad, Transfer> download) {
        try {
            return download.apply(curl);
        } catch (BenchmarkFailure e) {
            String context = gateway == null ? "" : "\n" + gateway.logTail();
            throw new BenchmarkFailure(name + " path: " + e.getMessage() + context, e);
        }
    }

    static String url(String file) {
        return "https://" + HOST + "/" + file;
    }

    /**
     * Proves the path is what it claims: on the direct path the server sees the runner's address, through the
     * gateway it sees only the gateway's upstream address (the gateway opened the connections), and the gateway
     * logged its allow decisions.
     */
    void verify() throws IOException, InterruptedException {
        String expected = gateway == null ? Topology.RUNNER_IP : Topology.GATEWAY_UPSTREAM_IP;
        List<String> clients = nginx.clientAddresses();
        if (clients.isEmpty() || !clients.stream().allMatch(expected::equals)) {
            throw new BenchmarkFailure(name + ": the server should have seen only " + expected + " as client, saw "
                    + clients.stream().distinct().toList());
        }
        if (gateway != null) {
            if (!gateway.isAlive()) {
                throw new BenchmarkFailure("the gateway exited during the run\n" + gateway.logTail());
            }
            List<String> events = gateway.events();
            for (int i = 0; i < 50 && !allowed(events); i++) { // events are flushed asynchronously
                Thread.sleep(100);
                events = gateway.events();
            }
            boolean allowed = allowed(events);
            List<String> blocked = events.stream().filter(e -> e.contains("\"verdict\":\"block\"")).toList();
            if (!allowed || !blocked.isEmpty()) {
                throw new BenchmarkFailure("the gateway should have allowed " + HOST + " and blocked nothing; events:\n"
                        + String.join("\n", events) + "\n" + gateway.logTail());
            }
        }
    }

    private static boolean allowed(List<String> events) {
        return events.stream().anyMatch(e -> e.contains("\"verdict\":\"allow\"") && e.contains(HOST));
    }

    @Override
    public void close() {
        try {
            if (gateway != null) {
                gateway.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (dns != null) {
                dns.close();
            }
            topology.close();
        }
    }
}

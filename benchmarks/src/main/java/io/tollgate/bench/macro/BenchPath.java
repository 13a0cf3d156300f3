package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
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
import java.util.function.Supplier;

/**
 * One way from the runner to the server, in its own testbed topology with its own nginx in the internet namespace:
 * {@code direct} (the gateway namespace only routes; the internet gets a route back to the runner subnet), or a
 * middlebox in the gateway namespace with no route back, so only the middlebox's own upstream connections work:
 * {@code tollgate} (the real gateway, TPROXY), {@code nginx} or {@code haproxy} (peer SNI proxies behind an nftables
 * redirect, see {@link SniRedirect}). All enforce the same allowlist: {@link #HOST} on 443 and nothing else. The paths
 * exist side by side for the whole run, so alternating between them needs no restart.
 */
final class BenchPath implements AutoCloseable {
    static final String HOST = "bulk.bench.example";
    static final String IP = "198.51.100.80";
    /** The middleboxes' upstream resolver: it says that the allowed name really has the address. */
    static final String DNS_IP = "198.51.100.53";
    /**
     * TTL of the bench names: short enough that the warm-up's quiet spell outlasts it, so every middlebox meets an
     * expired name before the measured repetitions, as it does in them after every pause.
     */
    static final long DNS_TTL_SECONDS = 5;
    /** A name no middlebox allows, sent to {@link #IP} to prove the path refuses it. */
    static final String DENIED_HOST = "denied.bench.example";
    private static final String DENIED_PATH = "/denied-probe";
    /** Where the peer proxies listen in the gateway namespace, behind the redirect. */
    private static final int PROXY_PORT = 8443;

    private interface Middlebox {
        ServerProcess start(Topology topology, Path dir) throws IOException, InterruptedException;
    }

    private final String name;
    private final Topology topology;
    private final NginxServer nginx;
    private final ServerProcess middlebox;
    private final FakeDns dns;
    private final CurlLoad curl;
    private final H2Load h2load;

    private BenchPath(String name, Topology topology, NginxServer nginx, ServerProcess middlebox, FakeDns dns,
            Path caPem) {
        this.name = name;
        this.topology = topology;
        this.nginx = nginx;
        this.middlebox = middlebox;
        this.dns = dns;
        this.curl = new CurlLoad(topology.runner(), caPem);
        this.h2load = new H2Load(topology.runner());
    }

    static BenchPath direct(TestCa ca, ServerIdentity identity, Path dir, Path docRoot)
            throws IOException, InterruptedException {
        Topology topology = Topology.create();
        try {
            topology.internet().execOrThrow(Duration.ofSeconds(10),
                    "ip", "route", "add", "10.10.0.0/24", "via", Topology.GATEWAY_UPSTREAM_IP);
            NginxServer nginx = serve(topology, ca, identity, dir, docRoot);
            return new BenchPath("direct", topology, nginx, null, null, ca.certificatePem());
        } catch (RuntimeException | IOException | InterruptedException e) {
            topology.close();
            throw e;
        }
    }

    static BenchPath tollgate(TestCa ca, ServerIdentity identity, Path dir, Path docRoot, Path gatewayJar)
            throws IOException, InterruptedException {
        return throughMiddlebox("tollgate", ca, identity, dir, docRoot, (topology, d) -> GatewayProcess.start(topology,
                gatewayJar, d, GatewayProcess.Setup.allowing(HOST, DNS_IP)));
    }

    static BenchPath nginxProxy(TestCa ca, ServerIdentity identity, Path dir, Path docRoot, int workers)
            throws IOException, InterruptedException {
        return throughMiddlebox("nginx", ca, identity, dir, docRoot, (topology, d) -> sniProxy(topology, d,
                new NginxSniProxy(Topology.GATEWAY_RUNNER_IP, PROXY_PORT, HOST, DNS_IP, workers)));
    }

    static BenchPath haproxy(TestCa ca, ServerIdentity identity, Path dir, Path docRoot, int threads)
            throws IOException, InterruptedException {
        return throughMiddlebox("haproxy", ca, identity, dir, docRoot, (topology, d) -> sniProxy(topology, d,
                new HaproxySniProxy(Topology.GATEWAY_RUNNER_IP, PROXY_PORT, HOST, IP, threads)));
    }

    private static SniProxy sniProxy(Topology topology, Path dir, SniProxy.Config config)
            throws IOException, InterruptedException {
        SniRedirect.install(topology, dir, PROXY_PORT);
        return SniProxy.start(topology.gateway(), dir, config, Topology.GATEWAY_RUNNER_IP, PROXY_PORT);
    }

    private static BenchPath throughMiddlebox(String name, TestCa ca, ServerIdentity identity, Path dir, Path docRoot,
            Middlebox middlebox) throws IOException, InterruptedException {
        Topology topology = Topology.create();
        FakeDns dns = null;
        try {
            NginxServer nginx = serve(topology, ca, identity, dir, docRoot);
            dns = FakeDns.start(topology, DNS_IP).ttl(DNS_TTL_SECONDS).a(HOST, IP).a(DENIED_HOST, IP);
            ServerProcess box = middlebox.start(topology, dir.resolve("middlebox"));
            return new BenchPath(name, topology, nginx, box, dns, ca.certificatePem());
        } catch (RuntimeException | IOException | InterruptedException e) {
            if (dns != null) {
                dns.close();
            }
            topology.close();
            throw e;
        }
    }

    private static NginxServer serve(Topology topology, TestCa ca, ServerIdentity identity, Path dir, Path docRoot)
            throws IOException, InterruptedException {
        topology.addInternetAddress(IP);
        topology.setRunnerHosts(Map.of(HOST, IP));
        // tens of thousands of short connections per run: more ephemeral ports than the default 28 000
        topology.runner().execOrThrow(Duration.ofSeconds(10), "sysctl", "-q", "-w",
                "net.ipv4.ip_local_port_range=1024 65535");
        return NginxServer.start(topology.internet(), dir.resolve("nginx"), HOST, IP, identity, ca.certificatePem(),
                docRoot);
    }

    String name() {
        return name;
    }

    NginxServer nginx() {
        return nginx;
    }

    /** The middlebox (gateway JVM or peer proxy), or null on the direct path. */
    ServerProcess middlebox() {
        return middlebox;
    }

    /** Runs curl on this path; a failure names the path and adds the middlebox's log. */
    <T> T download(Function<CurlLoad, T> download) {
        return withContext(() -> download.apply(curl));
    }

    /** Runs h2load on this path; a failure names the path and adds the middlebox's log. */
    <T> T connections(Function<H2Load, T> load) {
        return withContext(() -> load.apply(h2load));
    }

    /**
     * Runs {@code load} while capturing the interfaces of the gateway namespace (the middlebox's, or the router's on
     * the direct route) into {@code pcap}; the path's share of the setup of each connection.
     */
    SetupSteps captureSetup(Path pcap, Runnable load) throws IOException, InterruptedException {
        return SetupCapture.during(topology.gateway(), pcap, () -> withContext(() -> {
            load.run();
            return null;
        }));
    }

    /** Opens {@code count} idle relayed connections from the runner (see {@link IdleConnections}). */
    IdleConnections idle(int count) {
        return withContext(() -> IdleConnections.open(topology.runner(), IP, HOST, count));
    }

    private <T> T withContext(Supplier<T> load) {
        try {
            return load.get();
        } catch (BenchmarkFailure e) {
            String context = middlebox == null ? "" : "\n" + middlebox.logTail();
            throw new BenchmarkFailure(name + " path: " + e.getMessage() + context, e);
        }
    }

    static String url(String file) {
        return "https://" + HOST + "/" + file;
    }

    /**
     * Proves the path is what it claims: on the direct path the server sees the runner's address, through a middlebox
     * only the gateway namespace's upstream address (the middlebox opened the connections); no TLS session was
     * resumed; the middlebox is still running, refuses {@link #DENIED_HOST} and (the gateway) logged its decisions.
     */
    void verify() throws IOException, InterruptedException {
        String expected = middlebox == null ? Topology.RUNNER_IP : Topology.GATEWAY_UPSTREAM_IP;
        List<String> clients = nginx.clientAddresses();
        if (clients.isEmpty() || !clients.stream().allMatch(expected::equals)) {
            throw new BenchmarkFailure(name + ": the server should have seen only " + expected + " as client, saw "
                    + clients.stream().distinct().toList());
        }
        if (nginx.resumedSessions() != 0) {
            throw new BenchmarkFailure(name + ": " + nginx.resumedSessions() + " requests came over resumed TLS sessions");
        }
        if (middlebox == null) {
            return;
        }
        if (!middlebox.isAlive()) {
            throw new BenchmarkFailure(name + ": the middlebox exited during the run\n" + middlebox.logTail());
        }
        verifyRefusesDenied();
        if (middlebox instanceof GatewayProcess gateway) {
            gateway.verifyDecisions(HOST, DENIED_HOST);
        }
    }

    /**
     * Connects to the server's address with the SNI {@link #DENIED_HOST} without checking the certificate (so a
     * relayed connection would get its 200): the path must close the connection before any HTTP answer, and the
     * server must never see the request.
     */
    private void verifyRefusesDenied() {
        CommandResult r = topology.runner().exec(Duration.ofSeconds(15), "curl", "-sS", "-k", "--http1.1",
                "--max-time", "10", "--resolve", DENIED_HOST + ":443:" + IP, "-o", "/dev/null", "-w", "%{http_code}",
                "https://" + DENIED_HOST + DENIED_PATH);
        boolean reached = nginx.requestPaths().contains(DENIED_PATH);
        if (r.succeeded() || !r.stdout().strip().equals("000") || reached) {
            throw new BenchmarkFailure(name + " should refuse the SNI " + DENIED_HOST + " but curl exited "
                    + r.exitCode() + " with HTTP " + r.stdout().strip() + (reached ? " and the server saw it" : "")
                    + "\n" + middlebox.logTail());
        }
    }

    @Override
    public void close() {
        try {
            if (middlebox != null) {
                middlebox.stop();
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

package io.tollgate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.agent.report.ConnectionAttribution;
import io.tollgate.agent.report.HttpsRequest;
import io.tollgate.agent.tls.Http2Frames;
import io.tollgate.testbed.FakeDns;
import io.tollgate.testbed.FakeInternet;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.TestCa;
import io.tollgate.testbed.Topology;
import io.tollgate.testbed.CommandResult;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent watching a runner namespace routed (through a forwarding namespace, no gateway) to a fake internet with
 * real servers: curl over IPv6, UDP senders (dig, a datagram flood) and HTTP/2 over TLS with large uploads.
 */
@Tag("netns")
class AgentInternetTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String H2_HOST = "h2.agent.test";
    private static final String DNS_IP = "10.20.0.53";
    private static final String V6_HOST = "v6.agent.test";

    @TempDir
    static Path tmp;
    private static Topology topology;
    private static FakeInternet internet;
    private static FakeDns dns;
    private static TestCa ca;
    private static Agent agent;
    private static final CollectingSink sink = new CollectingSink();

    @BeforeAll
    static void start() {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        topology = Topology.create();
        // No gateway terminates the runner's connections here: the internet routes replies back to the runner.
        topology.internet().execOrThrow(WAIT, "ip", "route", "add", "10.10.0.0/24", "via", Topology.GATEWAY_UPSTREAM_IP);
        topology.internet().execOrThrow(WAIT, "ip", "-6", "route", "add", "fd10::/64", "via",
                Topology.GATEWAY_UPSTREAM_IP6);
        ca = TestCa.create("agent-lite test CA");
        internet = FakeInternet.start(topology, ca).hostHttp2(H2_HOST, Topology.INTERNET_IP)
                .host(V6_HOST, Topology.INTERNET_IP6);
        dns = FakeDns.start(topology, DNS_IP).a("udp.agent.test", "10.20.0.77");
        topology.setRunnerHosts(java.util.Map.of(H2_HOST, Topology.INTERNET_IP));
        agent = Agent.start(Path.of("/run/netns", topology.runner().name()), sink, line -> { });
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (internet != null) {
            internet.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void http2RequestsAfterALargeUploadOnTheSameConnectionAreRead() throws Exception {
        // curl: a 256 KiB POST, then a GET on the same connection (no new connect)
        Path big = tmp.resolve("upload.bin");
        Files.write(big, new byte[256 * 1024]);
        List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--http2", "--max-time", "10", "-o", "/dev/null",
                "-w", "%{http_version} %{num_connects}\\n"));
        curl.addAll(h2Options());
        curl.addAll(List.of("--data-binary", "@" + big, "https://" + H2_HOST + "/upload/curl", "--next", "-o",
                "/dev/null", "-w", "%{http_version} %{num_connects}\\n"));
        curl.addAll(h2Options());
        curl.add("https://" + H2_HOST + "/after/curl");
        assertThat(topology.runner().execOrThrow(WAIT, curl.toArray(String[]::new)).stdout().lines())
                .containsExactly("2 1", "2 0");
        HttpsRequest curlUpload = sink.awaitRequest(r -> "/upload/curl".equals(r.path()), WAIT);
        HttpsRequest curlAfter = sink.awaitRequest(r -> "/after/curl".equals(r.path()), WAIT);
        assertThat(curlUpload.method()).isEqualTo("POST");
        assertThat(curlAfter.tuple()).isEqualTo(curlUpload.tuple());

        // curl (like nghttp) writes about one DATA frame per TLS write, so frame headers stay inside the capture.
        // A client writing many frames at once is played by openssl s_client: it writes what it reads from its
        // input, 8 KiB at a time: one write of 8 KiB with the POST's HEADERS, its DATA frames and, past the 4 KiB
        // capture, more DATA frame headers and a second request's HEADERS; then one write with a third request.
        Http2Frames h2 = new Http2Frames();
        byte[] upload = h2.preface().settings().headers(1, "POST", H2_HOST, "/upload/frames", false).take();
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(upload);
        while (input.size() < 5000) {
            input.writeBytes(h2.data(1, 1000, false).take());
        }
        input.writeBytes(h2.headers(3, "GET", H2_HOST, "/in-tail/frames", true).take()); // past the capture
        while (8192 - input.size() > 2 * 1009) {
            input.writeBytes(h2.data(1, 1000, false).take());
        }
        input.writeBytes(h2.data(1, 8192 - input.size() - 9, true).take());
        input.writeBytes(h2.headers(5, "GET", H2_HOST, "/after/frames", true).take());
        Path frames = Files.write(tmp.resolve("frames.bin"), input.toByteArray());
        Process client = topology.runner().start(List.of("bash", "-c", "exec openssl s_client -quiet -alpn h2"
                + " -connect " + Topology.INTERNET_IP + ":443 -servername " + H2_HOST + " -CAfile "
                + ca.certificatePem() + " < " + frames), tmp.resolve("s_client.log"));
        try {
            HttpsRequest framesUpload = sink.awaitRequest(r -> "/upload/frames".equals(r.path()), WAIT);
            HttpsRequest framesInTail = sink.awaitRequest(r -> "/in-tail/frames".equals(r.path()), WAIT);
            HttpsRequest framesAfter = sink.awaitRequest(r -> "/after/frames".equals(r.path()), WAIT);
            assertThat(framesInTail.tuple()).isEqualTo(framesUpload.tuple());
            assertThat(framesAfter.method()).isEqualTo("GET");
            assertThat(framesAfter.host()).isEqualTo(H2_HOST);
            assertThat(framesAfter.process().exe()).isEqualTo("/usr/bin/openssl");
            assertThat(framesAfter.tuple()).isEqualTo(framesUpload.tuple());
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    void anIpv6ConnectAndItsTlsRequestCarryTheIpv6FiveTupleAndProcess() throws Exception {
        InetAddress runner = InetAddress.getByName(Topology.RUNNER_IP6);
        InetAddress server = InetAddress.getByName(Topology.INTERNET_IP6);
        CommandResult curl = topology.runner().execOrThrow(WAIT, "curl", "-6", "-sS", "--max-time", "5", "-o",
                "/dev/null", "-w", "%{local_port}", "--cacert", ca.certificatePem().toString(), "--resolve",
                V6_HOST + ":443:[" + Topology.INTERNET_IP6 + "]", "https://" + V6_HOST + "/over/ipv6");
        int localPort = Integer.parseInt(curl.stdout().strip());

        ConnectionAttribution connect = sink.awaitConnection(c -> "tcp".equals(c.tuple().protocol())
                && c.tuple().destination().equals(server) && c.tuple().sourcePort() == localPort, WAIT);
        assertThat(connect.tuple().source()).isEqualTo(runner);
        assertThat(connect.tuple().destinationPort()).isEqualTo(443);
        assertThat(connect.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(connect.process().args()).contains("https://" + V6_HOST + "/over/ipv6");

        HttpsRequest request = sink.awaitRequest(r -> "/over/ipv6".equals(r.path()), WAIT);
        assertThat(request.host()).isEqualTo(V6_HOST);
        assertThat(request.tuple()).isEqualTo(connect.tuple());
        assertThat(request.process().pid()).isEqualTo(connect.process().pid());
    }

    @Test
    void udpSendsAreAttributedOncePerFlowWithTheAddressesOnTheWire() throws Exception {
        String answer = topology.runner().execOrThrow(WAIT, "dig", "+short", "+tries=1", "+time=3", "@" + DNS_IP,
                "udp.agent.test", "A").stdout().strip();
        assertThat(answer).isEqualTo("10.20.0.77");
        ConnectionAttribution query = sink.awaitConnection(c -> "udp".equals(c.tuple().protocol())
                && c.tuple().destination().getHostAddress().equals(DNS_IP), WAIT);
        assertThat(query.tuple().destinationPort()).isEqualTo(53);
        assertThat(query.tuple().source().getHostAddress()).isEqualTo(Topology.RUNNER_IP);
        assertThat(query.tuple().sourcePort()).isPositive();
        assertThat(query.process().exe()).isEqualTo("/usr/bin/dig");
        assertThat(query.process().args()).contains("udp.agent.test");

        // 300 datagrams from one unbound socket (the kernel picks its port, routing its source address) to one
        // destination, over IPv4 and IPv6: one record per flow
        for (String destination : List.of(Topology.INTERNET_IP, Topology.INTERNET_IP6)) {
            String sport = topology.runner().execOrThrow(WAIT, "python3", "-c", "import socket\n"
                    + "s = socket.socket(socket.AF_INET6 if ':' in '" + destination + "' else socket.AF_INET,"
                    + " socket.SOCK_DGRAM)\n"
                    + "for i in range(300): s.sendto(b'x', ('" + destination + "', 9999))\n"
                    + "print(s.getsockname()[1])").stdout().strip();
            java.net.InetAddress target = java.net.InetAddress.getByName(destination);
            ConnectionAttribution flood = sink.awaitConnection(c -> "udp".equals(c.tuple().protocol())
                    && c.tuple().destinationPort() == 9999 && c.tuple().destination().equals(target), WAIT);
            assertThat(flood.tuple().sourcePort()).isEqualTo(Integer.parseInt(sport));
            assertThat(flood.tuple().source()).isEqualTo(java.net.InetAddress.getByName(
                    destination.contains(":") ? Topology.RUNNER_IP6 : Topology.RUNNER_IP));
            assertThat(flood.process().exe()).contains("python3");
        }
        Thread.sleep(300);
        assertThat(sink.connections).filteredOn(c -> c.tuple().destinationPort() == 9999).hasSize(2);

        // a connected socket written with write(2), as Go's resolver does
        String sport = topology.runner().execOrThrow(WAIT, "python3", "-c", "import os, socket\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.connect(('" + Topology.INTERNET_IP + "', 9998))\n"
                + "os.write(s.fileno(), b'x')\n"
                + "print(s.getsockname()[1])").stdout().strip();
        ConnectionAttribution written = sink.awaitConnection(c -> "udp".equals(c.tuple().protocol())
                && c.tuple().destinationPort() == 9998, WAIT);
        assertThat(written.tuple().sourcePort()).isEqualTo(Integer.parseInt(sport));
        assertThat(written.process().exe()).contains("python3");
    }

    private static List<String> h2Options() {
        return List.of("--cacert", ca.certificatePem().toString(), "--resolve",
                H2_HOST + ":443:" + Topology.INTERNET_IP);
    }
}

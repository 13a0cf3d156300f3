package io.tollgate.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class FakeInternetTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String CDN_IP = "198.51.100.10";
    private static final String GAMMA_IP = "203.0.113.20";
    private static final String ECHO_IP = "203.0.113.22";
    private static final String V6_IP = "fd99::20";
    private static final String UNNAMED_IP = "203.0.113.40";
    private static final String UNREACHED_IP = "203.0.113.50";

    private static Topology topology;
    private static TestCa ca;
    private static FakeInternet internet;

    @BeforeAll
    static void startInternet() {
        Assumptions.assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        topology = Topology.create();
        ca = TestCa.create("Tollgate testbed test CA");
        internet = FakeInternet.start(topology, ca)
                .host("alpha.example", CDN_IP)
                .host("beta.example", CDN_IP)
                .host("gamma.example", GAMMA_IP)
                .host("six.example", V6_IP);
        internet.serveEcho(ECHO_IP, 22);
        internet.serveTls(UNNAMED_IP, 443);
        internet.serveHttp(UNREACHED_IP, 80);
    }

    @AfterAll
    static void stopInternet() {
        if (internet != null) {
            internet.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void namesSharingAnAddressEachGetTheirOwnCertificate() {
        assertThat(curlFromGateway("https://alpha.example/", CDN_IP).stdout()).isEqualTo("hello from alpha.example\n");
        assertThat(curlFromGateway("https://beta.example/", CDN_IP).stdout()).isEqualTo("hello from beta.example\n");
    }

    @Test
    void responsesNameTheServingHost() {
        String headers = curlFromGateway("-D", "-", "-o", "/dev/null", "https://gamma.example/", GAMMA_IP).stdout();

        assertThat(headers).startsWith("HTTP/1.1 200").containsIgnoringCase("x-served-by: gamma.example");
    }

    @Test
    void plainHttpAndIpv6AreServedToo() {
        assertThat(topology.gateway().execOrThrow(TIMEOUT, "curl", "-sS", "--max-time", "5",
                "http://" + GAMMA_IP + "/").stdout()).isEqualTo("hello from " + GAMMA_IP + "\n");
        assertThat(curlFromGateway("https://six.example/", "[" + V6_IP + "]").stdout()).isEqualTo("hello from six.example\n");
    }

    @Test
    void bytesEndpointStreamsTheDeterministicStream() {
        CommandResult download = topology.gateway().execOrThrow(TIMEOUT, "sh", "-c",
                "curl -sS --fail --max-time 10 --cacert " + ca.certificatePem()
                        + " --resolve gamma.example:443:" + GAMMA_IP + " https://gamma.example/bytes/1048576 | sha256sum");

        assertThat(download.stdout()).startsWith(DeterministicBytes.sha256Hex(1_048_576) + " ");
    }

    @Test
    void hundredMegabyteDownloadIsFast() {
        long start = System.nanoTime();
        CommandResult download = topology.gateway().execOrThrow(TIMEOUT, "curl", "-sS", "--fail", "--max-time", "15",
                "-o", "/dev/null", "-w", "%{size_download}", "http://" + GAMMA_IP + "/bytes/104857600");

        assertThat(download.stdout()).isEqualTo("104857600");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void postAndPutEchoTheRequestBody() throws Exception {
        assertThat(curlFromGateway("-X", "POST", "--data-binary", "ship it", "https://alpha.example/anything", CDN_IP)
                .stdout()).isEqualTo("ship it");

        byte[] upload = new byte[3_000_000];
        new Random(42).nextBytes(upload);
        Path file = Files.createTempFile("testbed-upload-", ".bin");
        try {
            Files.write(file, upload);
            CommandResult echoed = topology.gateway().execOrThrow(TIMEOUT, "sh", "-c",
                    "curl -sS --fail --max-time 10 --cacert " + ca.certificatePem() + " --resolve beta.example:443:" + CDN_IP
                            + " -T " + file + " https://beta.example/upload | sha256sum");
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload));
            assertThat(echoed.stdout()).startsWith(expected + " ");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void opensslSClientSeesTheCertificateForItsServerName() {
        CommandResult session = topology.gateway().execOrThrow(TIMEOUT, "sh", "-c",
                "printf 'GET / HTTP/1.1\\r\\nHost: beta.example\\r\\nConnection: close\\r\\n\\r\\n' | openssl s_client -quiet"
                        + " -connect " + CDN_IP + ":443 -servername beta.example -verify_hostname beta.example"
                        + " -verify_return_error -CAfile " + ca.certificatePem());

        assertThat(session.stderr()).contains("CN = beta.example").contains("verify return:1");
        assertThat(session.stdout()).contains("hello from beta.example");
    }

    @Test
    void addressWithoutNamesPresentsAnIpCertificateUntilANameIsAdded() {
        assertThat(topology.gateway().execOrThrow(TIMEOUT, "curl", "-sS", "--fail", "--max-time", "5",
                "--cacert", ca.certificatePem().toString(), "https://" + UNNAMED_IP + "/").stdout())
                .isEqualTo("hello from " + UNNAMED_IP + "\n");

        internet.host("late.example", UNNAMED_IP);

        assertThat(curlFromGateway("https://late.example/", UNNAMED_IP).stdout()).isEqualTo("hello from late.example\n");
    }

    @Test
    void recordsConnectionClientHelloAndRequest() {
        curlFromGateway("https://gamma.example/?probe=recorded", GAMMA_IP);

        assertThat(internet.requests()).contains(
                new RecordedRequest(GAMMA_IP, 443, null, null, RecordedRequest.TCP_CONNECT, null),
                new RecordedRequest(GAMMA_IP, 443, "gamma.example", null, RecordedRequest.TLS_CLIENT_HELLO, null),
                new RecordedRequest(GAMMA_IP, 443, "gamma.example", "gamma.example", "GET", "/?probe=recorded"));
    }

    @Test
    void echoServiceSendsBannerThenEchoes() {
        List<String> lines = topology.gateway().call(() -> {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(ECHO_IP, 22), 2000);
                socket.setSoTimeout(2000);
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                var received = new ArrayList<String>();
                received.add(in.readLine());
                socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                received.add(in.readLine());
                return received;
            }
        });

        assertThat(lines).containsExactly("SSH-2.0-testbed", "ping");
        assertThat(internet.requests()).contains(new RecordedRequest(ECHO_IP, 22, null, null, RecordedRequest.TCP_CONNECT, null));
    }

    @Test
    void runnerCannotReachTheFakeInternetWithoutAProxy() {
        CommandResult fromRunner = topology.runner().exec(TIMEOUT, "curl", "-sS", "--max-time", "2",
                "http://" + UNREACHED_IP + "/");

        assertThat(fromRunner.exitCode()).as("curl from runner: %s", fromRunner).isNotZero();
        assertThat(internet.requests()).noneMatch(request -> request.serverIp().equals(UNREACHED_IP));
    }

    /** curl from the gateway namespace; the last two arguments are the https URL's host's address and the URL. */
    private static CommandResult curlFromGateway(String... argsThenUrlThenIp) {
        int n = argsThenUrlThenIp.length;
        String url = argsThenUrlThenIp[n - 2];
        String ip = argsThenUrlThenIp[n - 1];
        String host = url.replaceFirst("^https://", "").replaceFirst("/.*$", "");
        var argv = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "5", "--cacert", ca.certificatePem().toString(),
                "--resolve", host + ":443:" + ip));
        argv.addAll(List.of(argsThenUrlThenIp).subList(0, n - 2));
        argv.add(url);
        return topology.gateway().execOrThrow(TIMEOUT, argv.toArray(String[]::new));
    }
}

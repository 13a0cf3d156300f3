package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.DeterministicBytes;
import io.tollgate.testbed.RootCheck;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the splice relay must do with the bytes of an allowed connection: all of them, both ways, ends included. */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpliceRelayTest {
    private static final String SERVER_IP = "198.51.100.10";
    private static final String INTERNAL_IP = "192.0.2.10";
    private GatewayFixture fx;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", SERVER_IP, "internal.example", INTERNAL_IP));
        fx.internet.serveEcho(INTERNAL_IP, 22);
        fx.startGateway("""
                policies:
                  - name: ci
                    sources: [10.10.0.0/24]
                    allowed-endpoints: github.com:443
                    allowed-cidrs: [192.0.2.0/24:22, 192.0.2.0/24:2222, 192.0.2.0/24:2223]
                """);
    }

    @AfterAll
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void hundredMegabyteDownloadArrivesIntact() {
        long size = 100L * 1024 * 1024;
        CommandResult r = fx.runner("sh", "-c", "curl -sS --max-time 50 --cacert " + fx.ca.certificatePem()
                + " https://github.com/bytes/" + size + " | sha256sum");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().split(" ")[0]).isEqualTo(DeterministicBytes.sha256Hex(size));
    }

    @Test
    void slowReaderHoldsTheServerBackInsteadOfFillingTheGateway() throws Exception {
        long size = 120L * 1024 * 1024;
        long before = fx.gatewayRssKib();
        Process slow = new ProcessBuilder("ip", "netns", "exec", fx.topology.runner().name(), "sh", "-c",
                "curl -sS --max-time 60 --limit-rate 30M --cacert " + fx.ca.certificatePem() + " https://github.com/bytes/"
                        + size + " | sha256sum").redirectErrorStream(true).start();
        long peak = before;
        while (slow.isAlive()) {
            peak = Math.max(peak, fx.gatewayRssKib());
            Thread.sleep(100);
        }
        String out = new String(slow.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(out.split(" ")[0]).isEqualTo(DeterministicBytes.sha256Hex(size));
        assertThat(peak - before).as("KiB the gateway grew while relaying %d MiB to a slow reader", size >> 20)
                .isLessThan(48 * 1024);
    }

    @Test
    void largeUploadIsEchoedBackIntact() {
        CommandResult r = fx.runner("sh", "-c", "f=$(mktemp) && head -c 20000000 /dev/urandom > $f"
                + " && a=$(sha256sum < $f) && b=$(curl -sS --max-time 50 --cacert " + fx.ca.certificatePem()
                + " --data-binary @$f https://github.com/upload | sha256sum) && rm -f $f && [ \"$a\" = \"$b\" ]"
                + " && echo same");
        assertThat(r.stdout().strip()).as(r.stderr()).isEqualTo("same");
    }

    @Test
    void serverSpeaksFirstThroughACidrAndHalfCloseIsCarriedAfterEveryByte() throws Exception {
        String transcript = fx.topology.runner().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(INTERNAL_IP, 22), 5_000);
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] banner = in.readNBytes("SSH-2.0-testbed\r\n".length());
                s.getOutputStream().write("x".repeat(300_000).getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                return new String(banner, StandardCharsets.US_ASCII)
                        + new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        });
        assertThat(transcript).isEqualTo("SSH-2.0-testbed\r\n" + "x".repeat(300_000));
    }

    @Test
    void bothSocketsOfARelayedConnectionProbeAnIdlePeerWithKeepalive() throws Exception {
        String sockets = fx.topology.runner().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(INTERNAL_IP, 22), 5_000);
                s.setSoTimeout(10_000);
                s.getInputStream().readNBytes("SSH-2.0-testbed\r\n".length()); // relayed: both sockets exist
                return fx.topology.gateway().execOrThrow(Duration.ofSeconds(5), "ss", "-tnoH", "state",
                        "established").stdout();
            }
        });
        // The runner's side (local address: the original destination, kept by TPROXY) inherits keepalive from the
        // listening socket; the gateway's own upstream socket sets it.
        assertThat(sockets.lines().filter(l -> l.matches(".*" + INTERNAL_IP.replace(".", "\\.") + ":22 .*")).toList())
                .as(sockets).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("timer:(keepalive,"));
    }

    @Test
    void anUpstreamThatRefusesResetsTheRunnerAndTellsTheOperatorWhy() throws Exception {
        // Allowed by the CIDR, but nothing listens on 2222 in the internet namespace.
        assertThat(runnerSendsAndReads(2222)).isEqualTo("reset");
        assertLogSoonContains("allowed connection from runner", INTERNAL_IP + ":2222 failed upstream",
                "Connection refused", "the runner gets a reset");
    }

    @Test
    void anUpstreamThatNeverAnswersIsGivenUpAtTheConnectTimeout() throws Exception {
        // The fixture's gateway.connect-timeout is 3 s; SYNs to 2223 are dropped inside the internet namespace.
        fx.topology.internet().execOrThrow(Duration.ofSeconds(5), "sh", "-c", "nft add table inet blackhole"
                + " && nft add chain inet blackhole in '{ type filter hook input priority 0; }'"
                + " && nft add rule inet blackhole in tcp dport 2223 drop");
        assertThat(runnerSendsAndReads(2223)).isEqualTo("reset");
        assertLogSoonContains(INTERNAL_IP + ":2223 failed upstream", "no answer within the connect timeout");
    }

    /** The gateway writes its log as the reset goes out, so the line may land a moment after the runner saw it. */
    private void assertLogSoonContains(String... parts) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fx.gatewayLog()).contains(parts));
    }

    /** Connects from the runner (the gateway accepts at once), sends a few bytes and says how the read ended. */
    private String runnerSendsAndReads(int port) throws Exception {
        return fx.topology.runner().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(INTERNAL_IP, port), 5_000);
                s.setSoTimeout(15_000);
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                return s.getInputStream().read() < 0 ? "end of stream" : "data";
            } catch (java.net.SocketTimeoutException e) {
                return "no answer";
            } catch (java.net.SocketException e) {
                return e.getMessage().contains("reset") ? "reset" : e.getMessage();
            }
        });
    }

    @Test
    void concurrentConnectionsAllSucceedAndLeaveNoSocketBehind() throws Exception {
        long before = fx.gatewaySockets();
        CommandResult r = fx.runner("sh", "-c", "seq 1 64 | xargs -P 16 -I{} curl -sS --max-time 30 -o /dev/null"
                + " -w '%{http_code}\\n' --cacert " + fx.ca.certificatePem() + " https://github.com/bytes/200000");
        assertThat(r.stdout().lines()).as(r.stderr()).hasSize(64).allMatch("200"::equals);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        long after = fx.gatewaySockets();
        while (after > before && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            after = fx.gatewaySockets();
        }
        assertThat(after).as("sockets held by the gateway after all connections ended").isEqualTo(before);
    }
}

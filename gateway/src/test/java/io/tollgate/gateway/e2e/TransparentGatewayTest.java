package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.ClientHellos;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The end-to-end cases: real curl/openssl in the runner namespace, a real gateway process, a fake internet. */
@Tag("netns")
class TransparentGatewayTest {
    private static final String AUDIT_RUNNER_IP = "10.10.0.3";
    private static final String INTERNAL_IP = "192.0.2.10";
    /** An address no DNS name points to. */
    private static final String UNNAMED_IP = "198.51.100.99";
    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("github.com", "198.51.100.10");
        hosts.put("api.github.com", "198.51.100.10");
        hosts.put("pipelines.actions.githubusercontent.com", "198.51.100.30");
        hosts.put("actions.githubusercontent.com", "198.51.100.31");
        hosts.put("plain.example.org", "198.51.100.50");
        hosts.put("attacker.com", "198.51.100.66");
        hosts.put("evil.invalid", "198.51.100.40");
        hosts.put("ioc-ip.example.net", "203.0.113.66");
        hosts.put("internal.example", INTERNAL_IP);
        hosts.put("ipv6.example.org", "2001:db8:1::10");
        hosts.put("attacker6.example", "2001:db8:1::66");
        fx = GatewayFixture.create(hosts);
        fx.internet.serveTls("198.51.100.10", 8443);
        fx.internet.serveEcho("198.51.100.10", 22);
        fx.internet.serveTls(UNNAMED_IP, 443);
        fx.addRunnerAddress(AUDIT_RUNNER_IP);
        fx.startGateway("""
                policies:
                  - name: ci-block
                    sources: [%s/32, "fd10::2/128"]
                    egress-policy: block
                    allowed-endpoints: |
                      github.com:443
                      ipv6.example.org
                      api.github.com
                      *.actions.githubusercontent.com:443
                      plain.example.org:80
                      ioc-ip.example.net:443
                    allowed-cidrs: [192.0.2.0/24:*]
                  - name: ci-audit
                    sources: [%s/32]
                    egress-policy: audit
                    allowed-endpoints: github.com:443
                ioc:
                  domains: [evil.invalid]
                  ips: [203.0.113.66/32]
                """.formatted(Topology.RUNNER_IP, AUDIT_RUNNER_IP));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void allowedSniPassesAndDataFlowsBothWays() throws Exception {
        CommandResult r = fx.curl("--data-binary", "payload-from-the-runner", "https://github.com/upload");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("payload-from-the-runner");
        Event e = fx.awaitEvent("allow github.com", ev -> "github.com".equals(ev.sni()) && "allow".equals(ev.verdict()));
        assertThat(e.reason()).isEqualTo("allowlisted");
        assertThat(e.policy().name()).isEqualTo("ci-block");
        assertThat(e.dst()).isEqualTo("198.51.100.10:443");
    }

    @Test
    void ipv6ConnectionsAreInterceptedAndJudgedLikeIpv4() throws Exception {
        CommandResult ok = fx.curl("-6", "https://ipv6.example.org/");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains("hello from ipv6.example.org");
        Event allowed = fx.awaitEvent("v6 allow", ev -> "ipv6.example.org".equals(ev.sni()));
        assertThat(allowed.src()).isEqualTo("fd10::2");
        assertThat(allowed.dst()).isEqualTo("[2001:db8:1::10]:443");

        assertThat(fx.curl("-6", "--resolve", "attacker6.example:443:[2001:db8:1::66]", "https://attacker6.example/").exitCode()).isNotZero();
        assertThat(fx.awaitEvent("v6 block", ev -> "attacker6.example".equals(ev.sni())).reason())
                .isEqualTo("not-allowlisted");
        assertThat(fx.internet.requests()).noneMatch(req -> "2001:db8:1::66".equals(req.serverIp()));
    }

    @Test
    void opensslClientCompletesAHandshakeThroughTheGateway() {
        CommandResult r = fx.runner("sh", "-c", "echo | openssl s_client -brief -connect api.github.com:443"
                + " -servername api.github.com -verify_return_error -CAfile " + fx.ca.certificatePem());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).contains("Verification: OK");
    }

    @Test
    void blocksANameThatIsNotOnTheList() throws Exception {
        CommandResult r = fx.curl("--resolve", "attacker.com:443:198.51.100.66", "https://attacker.com/collect");
        assertThat(r.exitCode()).isNotZero();
        Event e = fx.awaitEvent("block attacker.com",
                ev -> "attacker.com".equals(ev.sni()) && Topology.RUNNER_IP.equals(ev.src()));
        assertThat(e.verdict()).isEqualTo("block");
        assertThat(e.reason()).isEqualTo("not-allowlisted");
        assertThat(e.detail()).contains("attacker.com:443");
        assertThat(fx.internet.requests()).noneMatch(req -> "198.51.100.66".equals(req.serverIp()));
        assertThat(fx.gatewayLog()).contains("BLOCK tcp 10.10.0.2 -> 198.51.100.66:443 name=attacker.com");
    }

    @Test
    void wildcardMatchesSubdomainsButNotTheApex() throws Exception {
        CommandResult sub = fx.curl("https://pipelines.actions.githubusercontent.com/");
        assertThat(sub.exitCode()).as(sub.stderr()).isZero();
        assertThat(sub.stdout()).contains("hello from pipelines.actions.githubusercontent.com");
        assertThat(fx.curl("--resolve", "actions.githubusercontent.com:443:198.51.100.31", "https://actions.githubusercontent.com/").exitCode()).isNotZero();
        assertThat(fx.awaitEvent("apex blocked", ev -> "actions.githubusercontent.com".equals(ev.sni())).reason())
                .isEqualTo("not-allowlisted");
    }

    @Test
    void blocksAnAllowedNameOnAnotherPort() throws Exception {
        assertThat(fx.curl("https://github.com:8443/").exitCode()).isNotZero();
        Event e = fx.awaitEvent("port block", ev -> "198.51.100.10:8443".equals(ev.dst()));
        assertThat(e.verdict()).isEqualTo("block");
        assertThat(e.reason()).isEqualTo("port");
        assertThat(fx.internet.requests()).noneMatch(req -> req.port() == 8443);
    }

    @Test
    void judgesPlainHttpByItsHostHeader() throws Exception {
        CommandResult ok = fx.curl("http://plain.example.org/");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains("hello from plain.example.org");
        CommandResult spoofed = fx.curl("-H", "Host: attacker.com", "http://plain.example.org/exfil");
        assertThat(spoofed.exitCode()).isNotZero();
        Event e = fx.awaitEvent("http block", ev -> "attacker.com".equals(ev.host()));
        assertThat(e.reason()).isEqualTo("not-allowlisted");
        assertThat(e.http().method()).isEqualTo("GET");
        assertThat(e.http().path()).isEqualTo("/exfil");
        assertThat(fx.internet.requests()).noneMatch(req -> "/exfil".equals(req.path()));
    }

    @Test
    void blocksDirectIpUnlessACidrAllowsIt() throws Exception {
        assertThat(fx.curl("-k", "https://" + UNNAMED_IP + "/").exitCode()).isNotZero();
        assertThat(fx.awaitEvent("direct ip", ev -> (UNNAMED_IP + ":443").equals(ev.dst()) && ev.sni() == null).reason())
                .isEqualTo("direct-ip");
        CommandResult internal = fx.curl("-k", "https://" + INTERNAL_IP + "/");
        assertThat(internal.exitCode()).as(internal.stderr()).isZero();
        assertThat(fx.awaitEvent("cidr allow", ev -> (INTERNAL_IP + ":443").equals(ev.dst())).verdict())
                .isEqualTo("allow");
    }

    @Test
    void auditModeLetsAllButIocThroughAndRecordsWouldBlock() throws Exception {
        CommandResult r = fx.curl("--interface", AUDIT_RUNNER_IP, "--resolve", "attacker.com:443:198.51.100.66", "https://attacker.com/");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("hello from attacker.com");
        Event e = fx.awaitEvent("would-block", ev -> AUDIT_RUNNER_IP.equals(ev.src()) && "attacker.com".equals(ev.sni()));
        assertThat(e.verdict()).isEqualTo("would-block");
        assertThat(e.reason()).isEqualTo("not-allowlisted");
        assertThat(e.policy().name()).isEqualTo("ci-audit");

        assertThat(fx.curl("--interface", AUDIT_RUNNER_IP, "--resolve", "evil.invalid:443:198.51.100.40", "https://evil.invalid/").exitCode()).isNotZero();
        Event ioc = fx.awaitEvent("audit ioc", ev -> AUDIT_RUNNER_IP.equals(ev.src()) && "evil.invalid".equals(ev.sni()));
        assertThat(ioc.verdict()).isEqualTo("block");
        assertThat(ioc.reason()).isEqualTo("ioc");
    }

    @Test
    void iocNameAndIocIpAreBlockedInBlockMode() throws Exception {
        assertThat(fx.curl("--resolve", "evil.invalid:443:198.51.100.40", "https://evil.invalid/").exitCode()).isNotZero();
        assertThat(fx.awaitEvent("ioc name", ev -> Topology.RUNNER_IP.equals(ev.src())
                && "evil.invalid".equals(ev.sni())).reason()).isEqualTo("ioc");
        assertThat(fx.curl("https://ioc-ip.example.net/").exitCode()).as("the DNS answer itself is refused").isNotZero();
        // curl asks A and AAAA at once; only the A answer holds the IOC address, and either event may be written first.
        assertThat(fx.awaitEvent("ioc answer", ev -> "ioc-ip.example.net".equals(ev.qname()) && "A".equals(ev.qtype()))
                .reason()).isEqualTo("ioc");
        assertThat(fx.curl("--resolve", "ioc-ip.example.net:443:203.0.113.66", "https://ioc-ip.example.net/").exitCode())
                .isNotZero();
        Event ip = fx.awaitEvent("ioc ip", ev -> "ioc-ip.example.net".equals(ev.sni()));
        assertThat(ip.verdict()).isEqualTo("block");
        assertThat(ip.reason()).isEqualTo("ioc");
    }

    @Test
    void clientHelloSentOneBytePerSegmentIsStillJudged() throws Exception {
        byte[] allowed = ClientHellos.jdk("github.com");
        byte[] reply = fx.topology.runner().call(() -> sendBytewiseAndRead("198.51.100.10", allowed));
        assertThat(reply).isNotEmpty();
        assertThat(reply[0]).as("a TLS handshake record from the real server").isEqualTo((byte) 22);

        byte[] blocked = ClientHellos.jdk("attacker.com");
        byte[] none = fx.topology.runner().call(() -> sendBytewiseAndRead("198.51.100.66", blocked));
        assertThat(none).isEmpty();
        assertThat(fx.awaitEvent("bytewise block", ev -> "attacker.com".equals(ev.sni())
                && Topology.RUNNER_IP.equals(ev.src())).verdict()).isEqualTo("block");
    }

    @Test
    void rawTcpToAnAddressNoCidrCoversIsBlockedAsNoName() throws Exception {
        byte[] got = fx.topology.runner().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("198.51.100.10", 22), 5_000);
                s.setSoTimeout(10_000);
                return readUntilClosed(s.getInputStream());
            }
        });
        assertThat(got).isEmpty();
        assertThat(fx.awaitEvent("ssh block", ev -> "198.51.100.10:22".equals(ev.dst())).reason()).isEqualTo("no-name");
    }

    private static byte[] sendBytewiseAndRead(String ip, byte[] hello) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(ip, 443), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                for (byte b : hello) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(0, 500_000);
                }
            } catch (SocketException reset) {
                return new byte[0];
            }
            return readSome(s.getInputStream());
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[5];
        try {
            int n = in.readNBytes(buffer, 0, buffer.length);
            return java.util.Arrays.copyOf(buffer, n);
        } catch (SocketException reset) {
            return new byte[0];
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (SocketException reset) {
            // a reset is how the gateway refuses
        }
        return all.toByteArray();
    }
}

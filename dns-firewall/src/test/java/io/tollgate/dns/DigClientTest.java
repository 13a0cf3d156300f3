package io.tollgate.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.dns.decide.DnsVerdict;
import io.tollgate.dns.testing.LoopbackDnsGateway;
import io.tollgate.dns.testing.TinyAuthoritativeServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real {@code dig} binary against the DNS firewall on loopback; skipped where dig is not installed. */
class DigClientTest {
    private static LoopbackDnsGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(digPath() != null, "dig is not installed (package bind9-dnsutils or dnsutils); skipping the tests"
                + " with the real dig client");
        gateway = LoopbackDnsGateway.start(DnsFirewallOnLoopbackTest.zone(TinyAuthoritativeServer.start()),
                DnsFirewallOnLoopbackTest.POLICIES, DnsFirewallOnLoopbackTest.IOC, RateLimits.defaults(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void allowedNameResolves() throws Exception {
        assertThat(dig("www.allowed.test", "A", "+short").strip()).isEqualTo("192.0.2.10");
    }

    @Test
    void blockedNameIsNxdomainAndNeverReachesUpstream() throws Exception {
        assertThat(dig("secret.other.test", "A")).contains("status: NXDOMAIN");
        assertThat(gateway.upstream.questions()).noneMatch(q -> q.startsWith("secret.other.test"));
    }

    @Test
    void tcpQueryIsAnswered() throws Exception {
        assertThat(dig("www.allowed.test", "AAAA", "+tcp", "+short").strip()).isEqualTo("2001:db8::10");
    }

    @Test
    void truncatedUdpAnswerCarriesTcAndDigGetsTheWholeAnswerOverTcp() throws Exception {
        assertThat(dig("big.allowed.test", "A", "+ignore")).containsPattern("flags: qr[a-z ]* tc");

        String retried = dig("big.allowed.test", "A");
        assertThat(retried).contains("Truncated, retrying in TCP mode", "ANSWER: 100");
    }

    @Test
    void ednsIsEchoedAndItsAbsenceRespected() throws Exception {
        assertThat(dig("www.allowed.test", "A")).contains("EDNS: version: 0", "udp: 1232");
        assertThat(dig("www.allowed.test", "A", "+noedns")).doesNotContain("EDNS:");
    }

    @Test
    void cnameIntoIocNameIsNxdomain() throws Exception {
        assertThat(dig("bad.allowed.test", "A")).contains("status: NXDOMAIN");
        assertThat(gateway.eventsFor("bad.allowed.test")).last()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("ioc"));
    }

    @Test
    void exfiltrationLookingTxtQueryIsNxdomainAndFlagged() throws Exception {
        String name = DnsFirewallOnLoopbackTest.EXFIL_LABEL + ".tunnel.other.test";

        assertThat(dig(name, "TXT")).contains("status: NXDOMAIN");
        assertThat(gateway.eventsFor(name)).last().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("dns-exfil");
            assertThat(e.flags()).contains("long-label", "high-entropy", "record-type:TXT");
        });
    }

    @Test
    void auditRunnerGetsTheAnswerAndAWouldBlockEvent() throws Exception {
        String out = dig("tunnel.other.test", "TXT", "-b", "127.0.0.2");

        assertThat(out).contains("status: NOERROR", "payload-accepted");
        assertThat(gateway.eventsFor("tunnel.other.test")).last()
                .satisfies(e -> assertThat(e.verdict()).isEqualTo(DnsVerdict.WOULD_BLOCK));
    }

    private static String dig(String name, String type, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(digPath().toString(), "@127.0.0.1", "-p",
                String.valueOf(gateway.port()), name, type, "+time=3", "+tries=1"));
        command.addAll(Arrays.asList(options));
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(dig.waitFor(20, TimeUnit.SECONDS)).as("dig finished").isTrue();
        String out = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dig.exitValue()).as(out).isZero();
        return out;
    }

    private static Path digPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "dig");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

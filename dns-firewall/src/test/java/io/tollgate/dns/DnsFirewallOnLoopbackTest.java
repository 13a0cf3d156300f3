package io.tollgate.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.decide.DnsVerdict;
import io.tollgate.dns.testing.LoopbackDnsGateway;
import io.tollgate.dns.testing.MutableClock;
import io.tollgate.dns.testing.Policies;
import io.tollgate.dns.testing.TinyAuthoritativeServer;
import io.tollgate.dns.testing.Wire;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.ioc.IocList;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The module end to end on loopback: dnsjava's own client against DnsServer + DnsFirewall, which resolves through
 * a small authoritative server that records every question it receives.
 */
class DnsFirewallOnLoopbackTest {
    static final InetAddress BLOCK_RUNNER = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress AUDIT_RUNNER = InetAddress.ofLiteral("127.0.0.2");
    static final String EXFIL_LABEL = "iflvgx2tivbverkul5augq2fknjv6s2fle6xostbnrzfqvlunzdektkjf5ft";
    static final String ALLOWED = """
            www.allowed.test big.allowed.test mid.allowed.test
            cdn.allowed.test bad.allowed.test
            """;
    static final PolicyTable POLICIES = Policies.table(
            Policies.compile("ci", "127.0.0.1/32", "block", ALLOWED),
            Policies.compile("trial", "127.0.0.2/32", "audit", ALLOWED));
    static final IocList IOC = Policies.ioc(List.of("evil.test"), List.of());

    private static LoopbackDnsGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        gateway = LoopbackDnsGateway.start(zone(TinyAuthoritativeServer.start()), POLICIES, IOC,
                RateLimits.defaults(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
    }

    /** The test zones every loopback test resolves against. */
    static TinyAuthoritativeServer zone(TinyAuthoritativeServer upstream) {
        upstream.add("www.allowed.test. 300 A 192.0.2.10")
                .add("www.allowed.test. 300 AAAA 2001:db8::10")
                .add("cdn.allowed.test. 300 CNAME edge.cdn-provider.test.")
                .add("edge.cdn-provider.test. 60 A 192.0.2.20")
                .add("bad.allowed.test. 300 CNAME c2.evil.test.")
                .add("c2.evil.test. 300 A 192.0.2.66")
                .add("secret.other.test. 300 A 192.0.2.99")
                .add("tunnel.other.test. 300 TXT \"payload-accepted\"");
        for (int i = 1; i <= 100; i++) {
            upstream.add("big.allowed.test. 300 A 198.51.100." + i);
        }
        for (int i = 1; i <= 40; i++) {
            upstream.add("mid.allowed.test. 300 A 203.0.113." + i);
        }
        return upstream;
    }

    @Test
    void allowedNameIsAnsweredAndItsAddressIsBoundToTheRunner() throws IOException {
        Message answer = client().send(Wire.query("www.allowed.test", Type.A));

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.10");
        assertThat(gateway.bindings.isBound(BLOCK_RUNNER, InetAddress.ofLiteral("192.0.2.10"), "www.allowed.test"))
                .isTrue();
        assertThat(gateway.bindings.namesFor(AUDIT_RUNNER, InetAddress.ofLiteral("192.0.2.10"))).isEmpty();
        assertThat(gateway.eventsFor("www.allowed.test")).anySatisfy(e -> {
            assertThat(e.verdict()).isEqualTo(DnsVerdict.ALLOW);
            assertThat(e.answers()).containsExactly("192.0.2.10");
            assertThat(e.policyName()).isEqualTo("ci");
        });
    }

    @Test
    void aaaaAnswerBindsTheIpv6Address() throws IOException {
        Message answer = client().send(Wire.query("www.allowed.test", Type.AAAA));

        assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
        assertThat(gateway.bindings.namesFor(BLOCK_RUNNER, InetAddress.ofLiteral("2001:db8::10")))
                .containsExactly("www.allowed.test");
    }

    @Test
    void blockedNameGetsNxdomainAndTheUpstreamNeverSeesIt() throws IOException {
        Message answer = client().send(Wire.query("secret.other.test", Type.A));

        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(gateway.upstream.questions()).noneMatch(q -> q.startsWith("secret.other.test"));
        assertThat(gateway.eventsFor("secret.other.test")).last().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(e.reason()).isEqualTo("not-allowlisted");
        });
    }

    @Test
    void severalQueriesOnOneTcpConnectionAreAllAnswered() throws IOException {
        Message first = Wire.query("www.allowed.test", Type.A);
        Message second = Wire.query("secret.other.test", Type.A);

        List<Message> answers = Wire.tcp(gateway.address(), List.of(first, second));

        assertThat(answers).extracting(m -> m.getHeader().getID())
                .containsExactlyInAnyOrder(first.getHeader().getID(), second.getHeader().getID());
        assertThat(answers).extracting(Message::getRcode).containsExactlyInAnyOrder(Rcode.NOERROR, Rcode.NXDOMAIN);
    }

    @Test
    void largeAnswerIsTruncatedOverUdpAndArrivesWholeOverTcp() throws IOException {
        SimpleResolver udp = client();
        udp.setIgnoreTruncation(true);
        Message truncated = udp.send(Wire.query("big.allowed.test", Type.A));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER).size()).isLessThan(100);

        SimpleResolver tcp = client();
        tcp.setTCP(true);
        Message whole = tcp.send(Wire.query("big.allowed.test", Type.A));
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(whole.getSection(Section.ANSWER)).hasSize(100);

        Message retried = client().send(Wire.query("big.allowed.test", Type.A));
        assertThat(retried.getSection(Section.ANSWER)).as("dnsjava retries over TCP by itself").hasSize(100);
    }

    @Test
    void ednsPayloadSizeLetsAnAnswerOver512BytesThroughUdpAndOptIsEchoed() throws IOException {
        Message withEdns = client().send(Wire.query("mid.allowed.test", Type.A));
        assertThat(withEdns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(withEdns.getSection(Section.ANSWER)).hasSize(40);
        assertThat(withEdns.getOPT()).isNotNull();

        Message withoutEdns = Wire.udp(BLOCK_RUNNER, gateway.address(), Wire.query("mid.allowed.test", Type.A));
        assertThat(withoutEdns.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(withoutEdns.getOPT()).isNull();
    }

    @Test
    void cnameChainIntoAnAllowedNameBindsTheQueriedName() throws IOException {
        Message answer = client().send(Wire.query("cdn.allowed.test", Type.A));

        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
        assertThat(gateway.bindings.namesFor(BLOCK_RUNNER, InetAddress.ofLiteral("192.0.2.20")))
                .containsExactly("cdn.allowed.test");
    }

    @Test
    void cnameChainIntoAnIocNameIsBlocked() throws IOException {
        Message answer = client().send(Wire.query("bad.allowed.test", Type.A));

        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
        assertThat(gateway.bindings.namesFor(BLOCK_RUNNER, InetAddress.ofLiteral("192.0.2.66"))).isEmpty();
        assertThat(gateway.eventsFor("bad.allowed.test")).last().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(e.reason()).isEqualTo("ioc");
            assertThat(e.explanation()).contains("c2.evil.test");
        });
    }

    @Test
    void txtQueryWithA60CharacterBase32LabelIsBlockedAsExfiltration() throws IOException {
        String name = EXFIL_LABEL + ".tunnel.other.test";

        Message answer = client().send(Wire.query(name, Type.TXT));

        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(gateway.upstream.questions()).noneMatch(q -> q.startsWith(EXFIL_LABEL));
        assertThat(gateway.eventsFor(name)).last().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("dns-exfil");
            assertThat(e.flags()).contains("long-label", "high-entropy", "record-type:TXT");
        });
    }

    @Test
    void auditModeForwardsAndFlagsWouldBlock() throws IOException {
        SimpleResolver auditClient = client();
        auditClient.setLocalAddress(AUDIT_RUNNER);

        Message answer = auditClient.send(Wire.query("tunnel.other.test", Type.TXT));

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).singleElement()
                .satisfies(txt -> assertThat(txt.rdataToString()).contains("payload-accepted"));
        assertThat(gateway.upstream.questions()).contains("tunnel.other.test TXT");
        assertThat(gateway.eventsFor("tunnel.other.test")).last().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(DnsVerdict.WOULD_BLOCK);
            assertThat(e.reason()).isEqualTo("dns-exfil");
            assertThat(e.flags()).containsExactly("record-type:TXT");
            assertThat(e.policyName()).isEqualTo("trial");
        });
    }

    @Test
    void malformedQueryGetsFormerr() throws IOException {
        byte[] garbage = {0x0b, 0x0c, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'x'};

        Message answer = new Message(Wire.udp(BLOCK_RUNNER, gateway.address(), garbage));

        assertThat(answer.getHeader().getID()).isEqualTo(0x0b0c);
        assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void rateLimitBitesWithOneEventPerSecond() throws IOException {
        InetAddress noisyRunner = InetAddress.ofLiteral("127.0.0.3");
        PolicyTable policies = Policies.table(Policies.compile("noisy", "127.0.0.3/32", "block", ALLOWED));
        MutableClock frozen = MutableClock.atEpochDay();
        try (LoopbackDnsGateway limited = LoopbackDnsGateway.start(TinyAuthoritativeServer.start(), policies, IOC,
                new RateLimits(1, 5), frozen)) {
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                Message answer = Wire.udp(noisyRunner, limited.address(), Wire.query("n" + i + ".other.test", Type.A));
                refused += answer.getRcode() == Rcode.REFUSED ? 1 : 0;
            }

            assertThat(refused).isEqualTo(15);
            assertThat(limited.events).filteredOn(e -> e.reason().equals("rate-limit")).singleElement()
                    .satisfies(e -> assertThat(e.explanation()).contains("127.0.0.3"));

            frozen.advance(Duration.ofSeconds(1));
            Wire.udp(noisyRunner, limited.address(), Wire.query("later.other.test", Type.A));
            Wire.udp(noisyRunner, limited.address(), Wire.query("later.other.test", Type.A));
            assertThat(limited.events).filteredOn(e -> e.reason().equals("rate-limit")).hasSize(2);
        }
    }

    private static SimpleResolver client() {
        SimpleResolver resolver = new SimpleResolver(gateway.address());
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }
}

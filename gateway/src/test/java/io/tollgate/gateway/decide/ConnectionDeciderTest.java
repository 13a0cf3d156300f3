package io.tollgate.gateway.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.ioc.IocList;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionDeciderTest {
    private static final InetAddress RUNNER = ip("10.10.0.2");
    private static final String ENDPOINTS = """
            github.com:443
            *.actions.githubusercontent.com:443
            registry.npmjs.org
            """;

    /** DNS agrees with every destination: the tests that use it are about the other rules. */
    private static final DnsEvidence ADDRESS_CONFIRMED = DnsEvidence.resolved(Set.of(), true);

    private final IocList ioc = iocList(List.of("evil.invalid"), List.of("203.0.113.66/32"));

    @Test
    void allowsListedSniOnListedPort() {
        Decision d = decide(tls("github.com", "140.82.112.3", 443), policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.reason()).isEqualTo(Reason.ALLOWLISTED);
        assertThat(d.policyName()).isEqualTo("fleet");
    }

    @Test
    void blocksNameNotOnTheList() {
        Decision d = decide(tls("attacker.com", "198.51.100.7", 443), policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.NOT_ALLOWLISTED);
        assertThat(d.explanation()).contains("attacker.com:443");
    }

    @Test
    void blocksAllowedNameOnAnotherPortWithPortReason() {
        Decision d = decide(tls("github.com", "140.82.112.3", 8443), policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.PORT);
    }

    @Test
    void wildcardAllowsSubdomainButNotApex() {
        assertThat(decide(tls("pipelines.actions.githubusercontent.com", "198.51.100.1", 443), policy("block"))
                .verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(decide(tls("actions.githubusercontent.com", "198.51.100.1", 443), policy("block"))
                .verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void judgesPlainHttpByHost() {
        CompiledPolicy p = compile("block", "example.org:80", List.of());
        assertThat(decide(http("example.org", "198.51.100.2", 80), p).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(decide(http("other.org", "198.51.100.2", 80), p).verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void blocksDirectIpUnlessACidrAllowsIt() {
        ConnectionFacts noSni = facts(Protocol.TLS, null, "10.0.5.5", 5432);
        assertThat(decide(noSni, policy("block")).reason()).isEqualTo(Reason.DIRECT_IP);
        CompiledPolicy withCidr = compile("block", ENDPOINTS, List.of("10.0.0.0/8:5432"));
        assertThat(decide(noSni, withCidr).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void opaqueProtocolWithoutCidrIsNoName() {
        Decision d = decide(facts(Protocol.OPAQUE, null, "198.51.100.9", 22), policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.NO_NAME);
    }

    @Test
    void iocNameIsBlockedEvenInAuditMode() {
        Decision d = decide(tls("evil.invalid", "198.51.100.3", 443), policy("audit"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.IOC);
    }

    @Test
    void iocSubdomainIsBlocked() {
        assertThat(decide(tls("c2.evil.invalid", "198.51.100.3", 443), policy("block")).reason())
                .isEqualTo(Reason.IOC);
    }

    @Test
    void iocIpIsBlockedWhateverTheName() {
        Decision d = decide(tls("github.com", "203.0.113.66", 443), policy("audit"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.IOC);
    }

    @Test
    void auditModeRecordsWouldBlockWithTheBlockReason() {
        Decision d = decide(tls("attacker.com", "198.51.100.7", 443), policy("audit"));
        assertThat(d.verdict()).isEqualTo(Verdict.WOULD_BLOCK);
        assertThat(d.verdict().letsThrough()).isTrue();
        assertThat(d.reason()).isEqualTo(Reason.NOT_ALLOWLISTED);
    }

    @Test
    void sourceWithoutPolicyIsBlockedInEveryCase() {
        Decision d = ConnectionDecider.decide(tls("github.com", "140.82.112.3", 443), ADDRESS_CONFIRMED,
                Optional.empty(), ioc);
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.NO_POLICY);
        assertThat(d.explanation()).contains("10.10.0.2");
    }

    @Test
    void malformedFirstBytesAreBlocked() {
        ConnectionFacts broken = new ConnectionFacts(RUNNER, new InetSocketAddress(ip("198.51.100.4"), 443),
                Protocol.TLS, null, false, "extension length overruns the ClientHello", null, null);
        Decision d = decide(broken, policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void echHelloIsJudgedOnItsOuterSni() {
        ConnectionFacts ech = new ConnectionFacts(RUNNER, new InetSocketAddress(ip("140.82.112.3"), 443),
                Protocol.TLS, "github.com", true, null, null, null);
        assertThat(decide(ech, policy("block")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void blocksAllowedSniSentToUnboundIp() {
        Decision d = decide(tls("github.com", "198.51.100.66", 443), DnsEvidence.resolved(Set.of(), false), policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.SNI_IP_MISMATCH);
        assertThat(d.explanation()).contains("github.com").contains("198.51.100.66:443");
    }

    @Test
    void allowsAllowedSniToAnAddressTheJobsDnsBound() {
        assertThat(decide(tls("github.com", "140.82.112.3", 443), DnsEvidence.bound(Set.of("github.com")),
                policy("block")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void allowsAllowedSniWhenTheGatewaysOwnResolutionHasTheAddress() {
        assertThat(decide(tls("github.com", "140.82.112.3", 443), DnsEvidence.resolved(Set.of(), true),
                policy("block")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void addressBoundToAnotherAllowedNameDoesNotVouchForThisName() {
        Decision d = decide(tls("github.com", "198.51.100.1", 443),
                DnsEvidence.resolved(Set.of("registry.npmjs.org"), false), policy("block"));
        assertThat(d.reason()).isEqualTo(Reason.SNI_IP_MISMATCH);
    }

    @Test
    void auditModeRecordsSniIpMismatchAsWouldBlock() {
        Decision d = decide(tls("github.com", "198.51.100.66", 443), DnsEvidence.resolved(Set.of(), false),
                policy("audit"));
        assertThat(d.verdict()).isEqualTo(Verdict.WOULD_BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.SNI_IP_MISMATCH);
    }

    @Test
    void unnamedConnectionToAnAddressTheJobResolvedForAnAllowedNamePasses() {
        ConnectionFacts ssh = facts(Protocol.OPAQUE, null, "198.51.100.9", 443);
        assertThat(decide(ssh, DnsEvidence.bound(Set.of("registry.npmjs.org")), policy("block")).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void unnamedConnectionNeedsTheBoundNameAllowedOnThatPort() {
        ConnectionFacts ssh = facts(Protocol.OPAQUE, null, "198.51.100.9", 22);
        Decision d = decide(ssh, DnsEvidence.bound(Set.of("registry.npmjs.org")), policy("block"));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reason()).isEqualTo(Reason.NO_NAME);
    }

    @Test
    void sameFactsGiveTheSameDecision() {
        ConnectionFacts f = tls("attacker.com", "198.51.100.7", 443);
        CompiledPolicy p = policy("block");
        assertThat(decide(f, p)).isEqualTo(decide(f, p));
    }

    private Decision decide(ConnectionFacts facts, CompiledPolicy policy) {
        return ConnectionDecider.decide(facts, ADDRESS_CONFIRMED, Optional.of(policy), ioc);
    }

    private Decision decide(ConnectionFacts facts, DnsEvidence dns, CompiledPolicy policy) {
        return ConnectionDecider.decide(facts, dns, Optional.of(policy), ioc);
    }

    private static CompiledPolicy policy(String mode) {
        return compile(mode, ENDPOINTS, List.of());
    }

    private static CompiledPolicy compile(String mode, String endpoints, List<String> cidrs) {
        try {
            return new PolicyCompiler(EndpointSets.defaults())
                    .compile(new PolicySpec("fleet", List.of("10.10.0.0/24"), mode, endpoints, cidrs));
        } catch (PolicyException e) {
            throw new AssertionError(e);
        }
    }

    private static IocList iocList(List<String> domains, List<String> ips) {
        try {
            return IocList.of(domains, ips, List.of());
        } catch (PolicyException e) {
            throw new AssertionError(e);
        }
    }

    private static ConnectionFacts tls(String sni, String dst, int port) {
        return facts(Protocol.TLS, sni, dst, port);
    }

    private static ConnectionFacts http(String host, String dst, int port) {
        return new ConnectionFacts(RUNNER, new InetSocketAddress(ip(dst), port), Protocol.HTTP, host, false, null,
                "GET", "/");
    }

    private static ConnectionFacts facts(Protocol protocol, String name, String dst, int port) {
        return new ConnectionFacts(RUNNER, new InetSocketAddress(ip(dst), port), protocol, name, false, null, null, null);
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

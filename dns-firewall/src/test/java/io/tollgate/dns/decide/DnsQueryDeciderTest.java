package io.tollgate.dns.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.testing.Policies;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.ioc.IocList;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class DnsQueryDeciderTest {
    private static final InetAddress RUNNER = InetAddress.ofLiteral("10.10.0.5");
    private static final String ENDPOINTS = """
            github.com:443
            *.actions.githubusercontent.com:443
            db.example.com:5432
            """;
    private static final Optional<CompiledPolicy> BLOCK = Optional.of(
            Policies.compile("fleet", "10.10.0.0/16", "block", ENDPOINTS));
    private static final Optional<CompiledPolicy> AUDIT = Optional.of(
            Policies.compile("fleet", "10.10.0.0/16", "audit", ENDPOINTS));
    private static final IocList IOC = Policies.ioc(List.of("evil.invalid"), List.of("203.0.113.66/32"));
    /** Base32 of "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", first 60 characters. */
    private static final String BASE32_60 = "iflvgx2tivbverkul5augq2fknjv6s2fle6xostbnrzfqvlunzdektkjf5ft";

    @Test
    void allowedNameIsResolvedUpstream() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, "github.com.", Type.A, BLOCK, IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.ALLOW);
        assertThat(d.reason()).isEqualTo("allowlisted");
        assertThat(d.resolveUpstream()).isTrue();
        assertThat(d.flags()).isEmpty();
    }

    @Test
    void nameAllowedOnAnyPortIsAllowedForDns() {
        assertThat(DnsQueryDecider.decide(RUNNER, "db.example.com", Type.AAAA, BLOCK, IOC).verdict())
                .isEqualTo(DnsVerdict.ALLOW);
        assertThat(DnsQueryDecider.decide(RUNNER, "pipelines.actions.githubusercontent.com", Type.A, BLOCK, IOC)
                .verdict()).isEqualTo(DnsVerdict.ALLOW);
    }

    @Test
    void matchingIgnoresCase() {
        assertThat(DnsQueryDecider.decide(RUNNER, "GitHub.COM.", Type.A, BLOCK, IOC).verdict())
                .isEqualTo(DnsVerdict.ALLOW);
    }

    @Test
    void otherNamesAreBlockedWithoutUpstreamQueryInBlockMode() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, "example.org", Type.A, BLOCK, IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.BLOCK);
        assertThat(d.reason()).isEqualTo("not-allowlisted");
        assertThat(d.resolveUpstream()).isFalse();
        assertThat(d.explanation()).contains("example.org", "fleet", "allowed-endpoints");
    }

    @Test
    void otherNamesAreForwardedAsWouldBlockInAuditMode() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, "example.org", Type.A, AUDIT, IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.WOULD_BLOCK);
        assertThat(d.reason()).isEqualTo("not-allowlisted");
        assertThat(d.resolveUpstream()).isTrue();
    }

    @Test
    void iocNamesAndTheirSubdomainsAreBlockedInEveryMode() {
        for (Optional<CompiledPolicy> policy : List.of(BLOCK, AUDIT, Optional.<CompiledPolicy>empty())) {
            DnsDecision d = DnsQueryDecider.decide(RUNNER, "c2.evil.invalid", Type.A, policy, IOC);
            assertThat(d.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(d.reason()).isEqualTo("ioc");
            assertThat(d.resolveUpstream()).isFalse();
        }
    }

    @Test
    void iocWinsOverTheAllowlist() {
        Optional<CompiledPolicy> allowsEvil = Optional.of(
                Policies.compile("p", "10.10.0.0/16", "block", "evil.invalid:443"));
        assertThat(DnsQueryDecider.decide(RUNNER, "evil.invalid", Type.A, allowsEvil, IOC).reason())
                .isEqualTo("ioc");
    }

    @Test
    void sourceWithoutPolicyGetsNxdomain() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, "github.com", Type.A, Optional.empty(), IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.BLOCK);
        assertThat(d.reason()).isEqualTo("no-policy");
        assertThat(d.resolveUpstream()).isFalse();
        assertThat(d.explanation()).contains("10.10.0.5");
    }

    @Test
    void singleLabelNamesNeverLeaveTheGateway() {
        for (Optional<CompiledPolicy> policy : List.of(BLOCK, AUDIT)) {
            DnsDecision d = DnsQueryDecider.decide(RUNNER, "postgres.", Type.A, policy, IOC);
            assertThat(d.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(d.reason()).isEqualTo("single-label");
            assertThat(d.resolveUpstream()).isFalse();
        }
    }

    @Test
    void exfiltrationLookingNameIsBlockedAsDnsExfilWithFlags() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, BASE32_60 + ".tunnel.example.net", Type.TXT, BLOCK, IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.BLOCK);
        assertThat(d.reason()).isEqualTo("dns-exfil");
        assertThat(d.resolveUpstream()).isFalse();
        assertThat(d.flags()).containsExactly("long-label", "high-entropy", "record-type:TXT");
    }

    @Test
    void exfiltrationLookingNameIsFlaggedButForwardedInAuditMode() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, "x.example.net", Type.TXT, AUDIT, IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.WOULD_BLOCK);
        assertThat(d.reason()).isEqualTo("dns-exfil");
        assertThat(d.resolveUpstream()).isTrue();
        assertThat(d.flags()).containsExactly("record-type:TXT");
    }

    @Test
    void allowedNamesAreNotFlagged() {
        DnsDecision d = DnsQueryDecider.decide(RUNNER, BASE32_60 + ".actions.githubusercontent.com", Type.TXT,
                BLOCK, IOC);

        assertThat(d.verdict()).isEqualTo(DnsVerdict.ALLOW);
        assertThat(d.flags()).isEmpty();
    }

    @Test
    void cnameChainIntoAnIocNameIsBlockedEvenInAuditMode() {
        for (Optional<CompiledPolicy> policy : List.of(BLOCK, AUDIT)) {
            DnsDecision query = DnsQueryDecider.decide(RUNNER, "github.com", Type.A, policy, IOC);
            DnsDecision judged = DnsQueryDecider.judgeAnswer(query,
                    List.of("github.map.fastly.net", "x.evil.invalid"), List.of(), IOC);

            assertThat(judged.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(judged.reason()).isEqualTo("ioc");
            assertThat(judged.resolveUpstream()).isFalse();
            assertThat(judged.explanation()).contains("x.evil.invalid");
        }
    }

    @Test
    void answerWithAnIocAddressIsBlocked() {
        DnsDecision query = DnsQueryDecider.decide(RUNNER, "github.com", Type.A, BLOCK, IOC);

        DnsDecision judged = DnsQueryDecider.judgeAnswer(query, List.of(),
                List.of(InetAddress.ofLiteral("203.0.113.66")), IOC);

        assertThat(judged.reason()).isEqualTo("ioc");
        assertThat(judged.explanation()).contains("203.0.113.66");
    }

    @Test
    void cleanAnswerKeepsTheQueryDecision() {
        DnsDecision query = DnsQueryDecider.decide(RUNNER, "github.com", Type.A, BLOCK, IOC);

        assertThat(DnsQueryDecider.judgeAnswer(query, List.of("github.map.fastly.net"),
                List.of(InetAddress.ofLiteral("140.82.112.3")), IOC)).isSameAs(query);
    }
}

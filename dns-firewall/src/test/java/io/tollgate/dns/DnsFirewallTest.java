package io.tollgate.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.bind.BindingLimits;
import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.decide.DnsVerdict;
import io.tollgate.dns.resolve.UpstreamResolver;
import io.tollgate.dns.testing.MutableClock;
import io.tollgate.dns.testing.Policies;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.ioc.IocList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The glue without sockets: a scripted upstream, a controllable clock, events collected in a list. */
class DnsFirewallTest {
    private static final InetAddress BLOCK_RUNNER = InetAddress.ofLiteral("10.10.0.5");
    private static final InetAddress AUDIT_RUNNER = InetAddress.ofLiteral("10.20.0.5");
    private static final InetAddress UNKNOWN_RUNNER = InetAddress.ofLiteral("192.168.1.1");
    private static final PolicyTable POLICIES = Policies.table(
            Policies.compile("builds", "10.10.0.0/16", "block", "github.com\n*.example.com:22"),
            Policies.compile("trial", "10.20.0.0/16", "audit", "github.com"));
    private static final IocList IOC = Policies.ioc(List.of("evil.invalid"), List.of());

    private final MutableClock clock = MutableClock.atEpochDay();
    private final DnsBindingTable bindings = new DnsBindingTable(clock, BindingLimits.defaults());
    private final List<DnsQueryEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> upstreamQuestions = new CopyOnWriteArrayList<>();
    private Map<String, List<String>> upstreamData = Map.of(
            "github.com", List.of("github.com. 60 A 140.82.112.3", "github.com. 60 A 140.82.112.4"),
            "git.example.com", List.of("git.example.com. 300 CNAME edge.cdn.test.", "edge.cdn.test. 20 A 192.0.2.9"),
            "example.org", List.of("example.org. 60 A 192.0.2.80"));
    private final UpstreamResolver upstream = (name, type) -> {
        String qname = name.toString(true).toLowerCase(Locale.ROOT);
        upstreamQuestions.add(qname + " " + Type.string(type));
        Message response = new Message();
        response.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
        List<String> lines = upstreamData.get(qname);
        if (lines == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
            lines.forEach(line -> response.addRecord(record(line), Section.ANSWER));
        }
        return CompletableFuture.completedFuture(response);
    };

    private DnsFirewall firewall(RateLimits limits) {
        return firewall(() -> POLICIES, limits);
    }

    private DnsFirewall firewall(Supplier<PolicyTable> policies, RateLimits limits) {
        return new DnsFirewall(policies, () -> IOC, upstream, bindings, limits, events::add, clock);
    }

    @Test
    void allowedNameIsAnsweredFromUpstreamAndItsAddressesAreBound() {
        Message response = ask(firewall(RateLimits.defaults()), BLOCK_RUNNER, "github.com", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).hasSize(2);
        assertThat(bindings.namesFor(BLOCK_RUNNER, InetAddress.ofLiteral("140.82.112.4")))
                .containsExactly("github.com");
        DnsQueryEvent event = events.getFirst();
        assertThat(event.verdict()).isEqualTo(DnsVerdict.ALLOW);
        assertThat(event.reason()).isEqualTo("allowlisted");
        assertThat(event.qname()).isEqualTo("github.com");
        assertThat(event.qtype()).isEqualTo("A");
        assertThat(event.answers()).containsExactly("140.82.112.3", "140.82.112.4");
        assertThat(event.policyName()).isEqualTo("builds");
        assertThat(event.policyVersion()).isNotBlank();
        assertThat(event.source()).isEqualTo(BLOCK_RUNNER);
        assertThat(event.at()).isEqualTo(clock.instant());
    }

    @Test
    void addressesAtTheEndOfACnameChainAreBoundToTheQueriedName() {
        ask(firewall(RateLimits.defaults()), BLOCK_RUNNER, "Git.Example.com.", Type.A);

        assertThat(bindings.namesFor(BLOCK_RUNNER, InetAddress.ofLiteral("192.0.2.9")))
                .containsExactly("git.example.com");
        assertThat(events.getFirst().answers()).containsExactly("CNAME edge.cdn.test.", "192.0.2.9");
    }

    @Test
    void blockedNameGetsNxdomainAndNeverReachesUpstream() {
        Message response = ask(firewall(RateLimits.defaults()), BLOCK_RUNNER, "example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstreamQuestions).isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(e.reason()).isEqualTo("not-allowlisted");
            assertThat(e.answers()).isEmpty();
        });
    }

    @Test
    void auditModeForwardsAndAnswersButReportsWouldBlockAndBindsNothing() {
        Message response = ask(firewall(RateLimits.defaults()), AUDIT_RUNNER, "example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(upstreamQuestions).containsExactly("example.org A");
        assertThat(events.getFirst().verdict()).isEqualTo(DnsVerdict.WOULD_BLOCK);
        assertThat(events.getFirst().policyName()).isEqualTo("trial");
        assertThat(bindings.size()).isZero();
    }

    @Test
    void cnameIntoAnIocNameIsNxdomainEvenInAuditMode() {
        upstreamData = Map.of("github.com", List.of("github.com. 60 CNAME c2.evil.invalid.",
                "c2.evil.invalid. 60 A 198.51.100.66"));
        for (InetAddress runner : List.of(BLOCK_RUNNER, AUDIT_RUNNER)) {
            Message response = ask(firewall(RateLimits.defaults()), runner, "github.com", Type.A);

            assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(response.getSection(Section.ANSWER)).isEmpty();
            assertThat(events.getLast().reason()).isEqualTo("ioc");
            assertThat(events.getLast().verdict()).isEqualTo(DnsVerdict.BLOCK);
        }
        assertThat(bindings.size()).isZero();
    }

    @Test
    void runnerWithoutPolicyGetsNxdomain() {
        Message response = ask(firewall(RateLimits.defaults()), UNKNOWN_RUNNER, "github.com", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(events.getFirst().reason()).isEqualTo("no-policy");
        assertThat(events.getFirst().policyName()).isNull();
        assertThat(upstreamQuestions).isEmpty();
    }

    @Test
    void singleLabelNameIsAnsweredLocally() {
        assertThat(ask(firewall(RateLimits.defaults()), AUDIT_RUNNER, "postgres", Type.A).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstreamQuestions).isEmpty();
        assertThat(events.getFirst().reason()).isEqualTo("single-label");
    }

    @Test
    void txtQueryWithBase32LabelIsBlockedAsExfiltration() {
        String name = "iflvgx2tivbverkul5augq2fknjv6s2fle6xostbnrzfqvlunzdektkjf5ft.t.example.net";

        assertThat(ask(firewall(RateLimits.defaults()), BLOCK_RUNNER, name, Type.TXT).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(events.getFirst().reason()).isEqualTo("dns-exfil");
        assertThat(events.getFirst().flags()).containsExactly("long-label", "high-entropy", "record-type:TXT");
        assertThat(upstreamQuestions).isEmpty();
    }

    @Test
    void otherRecordTypesOfAllowedNamesAreForwarded() {
        ask(firewall(RateLimits.defaults()), BLOCK_RUNNER, "github.com", Type.SOA);

        assertThat(upstreamQuestions).containsExactly("github.com SOA");
        assertThat(events.getFirst().verdict()).isEqualTo(DnsVerdict.ALLOW);
    }

    @Test
    void rateLimitRefusesAndReportsOncePerSecond() {
        DnsFirewall limited = firewall(new RateLimits(1, 3));
        for (int i = 0; i < 10; i++) {
            ask(limited, BLOCK_RUNNER, "example.org", Type.A);
        }
        assertThat(ask(limited, BLOCK_RUNNER, "example.org", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);

        List<DnsQueryEvent> limitEvents = events.stream().filter(e -> e.reason().equals("rate-limit")).toList();
        assertThat(limitEvents).singleElement().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(DnsVerdict.BLOCK);
            assertThat(e.explanation()).contains("10.10.0.5", "1 DNS queries per second");
        });
        assertThat(events).hasSize(3 + 1);

        clock.advance(Duration.ofSeconds(1));
        ask(limited, BLOCK_RUNNER, "example.org", Type.A);
        ask(limited, BLOCK_RUNNER, "example.org", Type.A);
        assertThat(events.stream().filter(e -> e.reason().equals("rate-limit")).toList()).hasSize(2);
        assertThat(events.getLast().explanation()).contains("7 more refused");
    }

    @Test
    void upstreamFailureBecomesServfailWithAnEvent() {
        DnsFirewall failing = new DnsFirewall(() -> POLICIES, () -> IOC,
                (name, type) -> CompletableFuture.failedFuture(new IOException("network unreachable")),
                bindings, RateLimits.defaults(), events::add, clock);

        Message response = ask(failing, BLOCK_RUNNER, "github.com", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(events.getFirst().reason()).isEqualTo("allowlisted");
        assertThat(events.getFirst().explanation()).contains("SERVFAIL", "network unreachable");
    }

    @Test
    void brokenPolicySourceBecomesServfailWithAnEventInsteadOfAnException() {
        DnsFirewall broken = firewall(() -> {
            throw new IllegalStateException("policy store unavailable");
        }, RateLimits.defaults());

        Message response = ask(broken, BLOCK_RUNNER, "github.com", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(events.getFirst().reason()).isEqualTo("error");
        assertThat(events.getFirst().explanation()).contains("policy store unavailable");
    }

    @Test
    void failingEventSinkDoesNotFailTheQuery() {
        DnsFirewall noisy = new DnsFirewall(() -> POLICIES, () -> IOC, upstream, bindings, RateLimits.defaults(),
                e -> {
                    throw new IllegalStateException("disk full");
                }, clock);

        assertThat(ask(noisy, BLOCK_RUNNER, "github.com", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    private static Message ask(DnsFirewall firewall, InetAddress source, String name, int type) {
        Message query = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        Message response = firewall.handle(new InetSocketAddress(source, 40053), query, false).toCompletableFuture()
                .join();
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        return response;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Record record(String zoneLine) {
        String[] parts = zoneLine.split("\\s+", 4);
        try {
            return Record.fromString(name(parts[0]), Type.value(parts[2]), DClass.IN, Long.parseLong(parts[1]),
                    parts[3], Name.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

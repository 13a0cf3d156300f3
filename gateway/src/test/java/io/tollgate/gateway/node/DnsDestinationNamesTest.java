package io.tollgate.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.bind.BindingLimits;
import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.resolve.UpstreamResolver;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The gateway's own check that a connection's destination belongs to its name, against answers an upstream gave:
 * {@code cdn.example.test} is a CNAME to an edge with two IPv4 and one IPv6 address.
 */
class DnsDestinationNamesTest {
    private final AtomicInteger questions = new AtomicInteger();
    private final DnsDestinationNames names = new DnsDestinationNames(
            new DnsBindingTable(Clock.systemUTC(), BindingLimits.defaults()), this::answer);

    private CompletionStage<Message> answer(Name name, int type) {
        questions.incrementAndGet();
        Message response = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (name.toString().equals("cdn.example.test.")) {
            Name edge = Name.fromConstantString("edge.example.net.");
            response.addRecord(new CNAMERecord(name, DClass.IN, 60, edge), Section.ANSWER);
            if (type == Type.A) {
                response.addRecord(new ARecord(edge, DClass.IN, 60, address("192.0.2.10")), Section.ANSWER);
                response.addRecord(new ARecord(edge, DClass.IN, 60, address("192.0.2.11")), Section.ANSWER);
            } else {
                response.addRecord(new AAAARecord(edge, DClass.IN, 60, address("2001:db8::10")), Section.ANSWER);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    @Test
    void anAddressInTheAnswerBelongsToTheNameAndOthersDoNot() throws Exception {
        assertThat(resolvesTo("cdn.example.test", "192.0.2.11")).isTrue();
        assertThat(resolvesTo("cdn.example.test", "2001:db8::10")).isTrue();
        assertThat(resolvesTo("cdn.example.test", "192.0.2.12")).isFalse();
        assertThat(resolvesTo("cdn.example.test", "2001:db8::11")).isFalse();
        assertThat(resolvesTo("other.example.test", "192.0.2.10")).isFalse();
    }

    @Test
    void aNameThatIsNotAValidDnsNameResolvesToNothingAndIsNeverAsked() throws Exception {
        assertThat(resolvesTo("a".repeat(64) + ".example.test", "192.0.2.10")).isFalse();
        assertThat(questions).hasValue(0);
    }

    @Test
    void moreDistinctNamesThanItKeepsParsedStillGetTheirOwnAnswers() throws Exception {
        for (int i = 0; i < 5000; i++) {
            assertThat(resolvesTo("n" + i + ".example.test", "192.0.2.10")).isFalse();
        }
        assertThat(resolvesTo("cdn.example.test", "192.0.2.10")).isTrue();
        assertThat(resolvesTo("cdn.example.test", "192.0.2.10")).isTrue();
    }

    @Test
    void anUpstreamThatFailsLeavesTheAddressUnproven() throws Exception {
        DnsDestinationNames failing = new DnsDestinationNames(
                new DnsBindingTable(Clock.systemUTC(), BindingLimits.defaults()), failingUpstream());
        assertThat(failing.resolvesTo("cdn.example.test", address("192.0.2.10")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isFalse();
    }

    private static UpstreamResolver failingUpstream() {
        return (name, type) -> CompletableFuture.failedFuture(new IllegalStateException("upstream unreachable"));
    }

    private boolean resolvesTo(String name, String destination) throws Exception {
        return names.resolvesTo(name, address(destination)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}

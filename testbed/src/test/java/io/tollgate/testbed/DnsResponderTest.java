package io.tollgate.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The answering logic without sockets; {@link FakeDnsTest} covers the wire with dig. */
class DnsResponderTest {
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private final DnsRecords records = new DnsRecords();
    private final List<RecordedQuery> recorded = new ArrayList<>();
    private final DnsResponder responder = new DnsResponder(records, recorded::add);

    @Test
    void namesAreCaseInsensitiveWithOrWithoutTheTrailingDot() throws Exception {
        records.add(a("Mixed.Example", "192.0.2.1"));

        Message answer = ask(query("mixed.EXAMPLE.", Type.A), DnsResponder.UDP);

        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
        assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(recorded).containsExactly(new RecordedQuery("mixed.example", "A", "udp", "127.0.0.1"));
    }

    @Test
    void ancestorOfAKnownNameIsNodataNotNxdomain() throws Exception {
        records.add(a("deep.sub.example", "192.0.2.2"));

        Message answer = ask(query("sub.example", Type.A), DnsResponder.UDP);

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
        assertThat(answer.getSection(Section.AUTHORITY)).containsExactly(records.soa());
    }

    @Test
    void cnameToAnUnknownNameIsNxdomainWithTheChain() throws Exception {
        records.add(cname("alias.example", "gone.example"));

        Message answer = ask(query("alias.example", Type.A), DnsResponder.UDP);

        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
        assertThat(answer.getSection(Section.AUTHORITY)).containsExactly(records.soa());
    }

    @Test
    void cnameLoopEndsWithTheChain() throws Exception {
        records.add(cname("ping.example", "pong.example"));
        records.add(cname("pong.example", "ping.example"));

        Message answer = ask(query("ping.example", Type.A), DnsResponder.UDP);

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).hasSize(2);
    }

    @Test
    void aNameWithACnameHoldsNothingElse() {
        records.add(cname("alias.example", "target.example"));

        assertThatThrownBy(() -> records.add(a("alias.example", "192.0.2.3"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> records.add(cname("alias.example", "other.example"))).isInstanceOf(IllegalArgumentException.class);
        records.add(cname("ALIAS.example.", "target.example")); // the same record again is fine
    }

    @Test
    void metaQueriesAreNotImplemented() throws Exception {
        records.add(a("any.example", "192.0.2.4"));

        Message answer = ask(query("any.example", Type.ANY), DnsResponder.UDP);

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
        assertThat(recorded).extracting(RecordedQuery::type).containsExactly("ANY");
    }

    @Test
    void udpLimitIs512WithoutEdnsAndTheClientsPayloadUpTo1232WithIt() throws Exception {
        for (int i = 1; i <= 100; i++) {
            records.add(a("hundred.example", "10.99.0." + i)); // ~1.6 kB
            if (i <= 50) {
                records.add(a("fifty.example", "10.99.0." + i)); // ~0.8 kB
            }
        }

        Message classic = ask(query("fifty.example", Type.A), DnsResponder.UDP);
        Message edns = ask(ednsQuery("fifty.example", 1232), DnsResponder.UDP);
        Message clamped = ask(ednsQuery("hundred.example", 4096), DnsResponder.UDP);
        Message tcp = ask(ednsQuery("hundred.example", 4096), DnsResponder.TCP);

        assertThat(classic.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(classic.getOPT()).isNull();
        assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(edns.getSection(Section.ANSWER)).hasSize(50);
        assertThat(edns.getOPT().getPayloadSize()).isEqualTo(DnsResponder.EDNS_PAYLOAD);
        assertThat(clamped.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void garbageGetsNoAnswer() {
        assertThat(responder.answer(new byte[] {1, 2, 3}, DnsResponder.UDP, CLIENT)).isEmpty();
        assertThat(recorded).isEmpty();
    }

    private Message ask(Message query, String transport) throws Exception {
        return new Message(responder.answer(query.toWire(), transport, CLIENT).orElseThrow());
    }

    private static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(DnsRecords.name(name), type, DClass.IN));
    }

    private static Message ednsQuery(String name, int payload) {
        Message query = query(name, Type.A);
        query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        return query;
    }

    private static ARecord a(String name, String ip) throws Exception {
        return new ARecord(DnsRecords.name(name), DClass.IN, 60, InetAddress.getByName(ip));
    }

    private static CNAMERecord cname(String alias, String target) {
        return new CNAMERecord(DnsRecords.name(alias), DClass.IN, 60, DnsRecords.name(target));
    }
}

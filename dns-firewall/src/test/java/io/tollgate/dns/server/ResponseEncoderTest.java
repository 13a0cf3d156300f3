package io.tollgate.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseEncoderTest {
    private static final Name NAME = Name.fromConstantString("big.example.com.");

    @Test
    void udpAnswerLargerThan512BytesIsTruncatedForAClientWithoutEdns() throws Exception {
        Message query = query(null);

        byte[] wire = ResponseEncoder.encode(query, responseWithAddresses(query, 40), false);

        Message received = new Message(wire);
        assertThat(wire.length).isLessThanOrEqualTo(512);
        assertThat(received.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(received.getOPT()).isNull();
    }

    @Test
    void ednsClientGetsUpToItsPayloadSizeAndAnOptRecordBack() throws Exception {
        Message query = query(new OPTRecord(1232, 0, 0));

        Message received = new Message(ResponseEncoder.encode(query, responseWithAddresses(query, 40), false));

        assertThat(received.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(received.getSection(Section.ANSWER)).hasSize(40);
        assertThat(received.getOPT()).isNotNull();
        assertThat(received.getOPT().getPayloadSize()).isEqualTo(ResponseEncoder.UDP_PAYLOAD);
    }

    @Test
    void advertisedPayloadAboveTheGatewaysLimitIsCappedAndTheOptSurvivesTruncation() throws Exception {
        Message query = query(new OPTRecord(4096, 0, 0));

        byte[] wire = ResponseEncoder.encode(query, responseWithAddresses(query, 100), false);

        Message received = new Message(wire);
        assertThat(wire.length).isLessThanOrEqualTo(ResponseEncoder.UDP_PAYLOAD);
        assertThat(received.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(received.getOPT()).isNotNull();
    }

    @Test
    void tcpCarriesTheWholeAnswer() throws Exception {
        Message query = query(null);

        Message received = new Message(ResponseEncoder.encode(query, responseWithAddresses(query, 100), true));

        assertThat(received.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(received.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void responseOptIsDroppedForAClientThatSentNone() throws Exception {
        Message query = query(null);
        Message response = responseWithAddresses(query, 1);
        response.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

        assertThat(new Message(ResponseEncoder.encode(query, response, false)).getOPT()).isNull();
    }

    private static Message query(OPTRecord opt) {
        Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
        if (opt != null) {
            query.addRecord(opt, Section.ADDITIONAL);
        }
        return query;
    }

    private static Message responseWithAddresses(Message query, int count) {
        Message response = DnsResponses.withRcode(query, Rcode.NOERROR);
        for (int i = 0; i < count; i++) {
            response.addRecord(new ARecord(NAME, DClass.IN, 60,
                    InetAddress.ofLiteral("192.0.2." + (i + 1))), Section.ANSWER);
        }
        return response;
    }
}

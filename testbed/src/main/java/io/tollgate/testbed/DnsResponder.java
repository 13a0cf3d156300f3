package io.tollgate.testbed;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query on the wire into one authoritative answer on the wire, and records the query. UDP answers are cut
 * to the client's size limit (512 bytes, or its EDNS payload size up to {@link #EDNS_PAYLOAD}) with the TC bit set;
 * TCP answers are whole.
 */
final class DnsResponder {
    static final int EDNS_PAYLOAD = 1232;
    static final String UDP = "udp";
    static final String TCP = "tcp";

    private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);
    private static final int CLASSIC_UDP_LIMIT = 512;

    private final DnsRecords records;
    private final Consumer<RecordedQuery> recorder;

    DnsResponder(DnsRecords records, Consumer<RecordedQuery> recorder) {
        this.records = records;
        this.recorder = recorder;
    }

    /** The answer to {@code wire} received over {@code transport}; empty when the bytes are not a DNS message. */
    Optional<byte[]> answer(byte[] wire, String transport, InetAddress client) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            log.debug("dropping a malformed DNS message from {}: {}", client, e.toString());
            return Optional.empty();
        }
        Record question = query.getQuestion();
        if (question != null) {
            recorder.accept(new RecordedQuery(question.getName().toString(true).toLowerCase(Locale.ROOT),
                    Type.string(question.getType()), transport, NetUtil.toAddressString(client)));
        }
        Message response = respond(query, question);
        return Optional.of(transport.equals(TCP) ? response.toWire() : response.toWire(udpLimit(query)));
    }

    private Message respond(Message query, Record question) {
        var response = new Message(query.getHeader().getID());
        var header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            header.setRcode(Rcode.NOTIMP);
            return response;
        }
        if (question == null) {
            header.setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (!Type.isRR(question.getType())) {
            header.setRcode(Rcode.NOTIMP); // ANY, AXFR, IXFR, ...: meta-queries are not served
            return response;
        }
        header.setFlag(Flags.AA);
        DnsRecords.Resolution resolution = records.resolve(question.getName(), question.getType());
        resolution.answer().forEach(record -> response.addRecord(record, Section.ANSWER));
        if (!resolution.nameExists()) {
            header.setRcode(Rcode.NXDOMAIN);
        }
        if (resolution.answer().stream().noneMatch(record -> record.getType() == question.getType())) {
            response.addRecord(records.soa(), Section.AUTHORITY); // NXDOMAIN or NODATA: the SOA gives the negative TTL
        }
        return response;
    }

    private static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? CLASSIC_UDP_LIMIT : Math.clamp(opt.getPayloadSize(), CLASSIC_UDP_LIMIT, EDNS_PAYLOAD);
    }
}

package io.tollgate.dns.server;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Responses built from a query: same id and question, QR set, RD echoed, RA set (the gateway recurses). */
public final class DnsResponses {
    private DnsResponses() {}

    /** An empty response to {@code query} with {@code rcode}. */
    public static Message withRcode(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setOpcode(query.getHeader().getOpcode());
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setRcode(rcode);
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        return response;
    }

    /**
     * The answer to {@code query} with the rcode and the answer, authority and additional records of
     * {@code upstream} (its OPT record left out: EDNS is negotiated per hop).
     */
    public static Message relayed(Message query, Message upstream) {
        Message response = withRcode(query, upstream.getRcode() & 0xF);
        if (upstream.getHeader().getFlag(Flags.AD)) {
            response.getHeader().setFlag(Flags.AD);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record record : upstream.getSection(section)) {
                if (record.getType() != Type.OPT) {
                    response.addRecord(record, section);
                }
            }
        }
        return response;
    }
}

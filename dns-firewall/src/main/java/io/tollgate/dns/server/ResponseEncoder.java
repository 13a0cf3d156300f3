package io.tollgate.dns.server;

import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a response into the bytes for one transport. EDNS0 (RFC 6891): a query with an OPT record gets one back
 * advertising {@link #UDP_PAYLOAD}; a query without gets none. Over UDP the response must fit the client's limit
 * (512 bytes, or its EDNS payload size, at most {@link #UDP_PAYLOAD}); a larger one is cut to whole records with
 * the TC bit set, which makes the client ask again over TCP.
 */
final class ResponseEncoder {
    /** The DNS flag day 2020 size: large enough for most answers, small enough to avoid IP fragmentation. */
    static final int UDP_PAYLOAD = 1232;
    private static final int PLAIN_UDP_LIMIT = 512;

    private ResponseEncoder() {}

    static byte[] encode(Message query, Message response, boolean overTcp) {
        OPTRecord queryOpt = query.getOPT();
        Message out = withoutOpt(response);
        int rcode = response.getRcode();
        if (queryOpt != null) {
            out.getHeader().setRcode(rcode & 0xF);
            out.addRecord(new OPTRecord(UDP_PAYLOAD, rcode >>> 4, 0, 0), Section.ADDITIONAL);
        }
        if (overTcp) {
            return out.toWire(Message.MAXLENGTH);
        }
        int limit = queryOpt == null
                ? PLAIN_UDP_LIMIT
                : Math.clamp(queryOpt.getPayloadSize(), PLAIN_UDP_LIMIT, UDP_PAYLOAD);
        return out.toWire(limit);
    }

    private static Message withoutOpt(Message response) {
        if (response.getOPT() == null) {
            return response;
        }
        Message copy = response.clone();
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record.getType() == Type.OPT) {
                copy.removeRecord(record, Section.ADDITIONAL);
            }
        }
        return copy;
    }
}

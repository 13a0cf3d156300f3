package io.tollgate.dns.resolve;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Upstream responses written as zone lines, for tests. */
final class Answers {
    private Answers() {}

    static Message response(String qname, int qtype, int rcode, String... answerLines) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(name(qname), qtype, DClass.IN), Section.QUESTION);
        for (String line : answerLines) {
            Record r = record(line);
            m.addRecord(r, r.getType() == Type.SOA ? Section.AUTHORITY : Section.ANSWER);
        }
        return m;
    }

    static Record record(String zoneLine) {
        String[] parts = zoneLine.trim().split("\\s+", 4);
        try {
            return Record.fromString(name(parts[0]), Type.value(parts[2]), DClass.IN, Long.parseLong(parts[1]),
                    parts[3], Name.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

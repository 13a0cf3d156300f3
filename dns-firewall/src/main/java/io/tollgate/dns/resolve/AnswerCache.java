package io.tollgate.dns.resolve;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream responses by question, each kept for its TTL: the smallest TTL in the answer section, or for NXDOMAIN and
 * empty answers the authority SOA's negative TTL (RFC 2308), at most {@link #MAX_NEGATIVE_TTL}. Bounded: the least
 * recently used entry makes room. Served copies carry the TTLs that remain. A hit in the last tenth of an entry's TTL
 * says it is due for a refresh, so that a name in use is fetched again before it expires (unbound's {@code prefetch}).
 * Thread-safe.
 */
final class AnswerCache {
    static final Duration MAX_POSITIVE_TTL = Duration.ofDays(1);
    static final Duration MAX_NEGATIVE_TTL = Duration.ofMinutes(5);
    private static final int[] SECTIONS = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};

    private record Key(Name name, int type) {}

    private record Cached(Message response, long storedAt, long expiresAt) {}

    /** A cached answer, {@code elapsedSeconds} after it was stored; {@code refreshDue} in the last tenth of its TTL. */
    record Hit(Message stored, long elapsedSeconds, boolean refreshDue) {
        /** The answer as a response to serve: a copy whose TTLs are what remains of them. */
        Message response() {
            return aged(stored, elapsedSeconds);
        }

        /** The answer section as stored, TTLs as received: for a caller that only asks what the answer says. */
        List<Record> answers() {
            return stored.getSection(Section.ANSWER);
        }
    }

    private final Map<Key, Cached> entries;

    AnswerCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the DNS cache needs room for at least one entry, got " + maxEntries);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized Optional<Hit> get(Name name, int type, long nowMillis) {
        Key key = new Key(name, type);
        Cached entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAt() <= nowMillis) {
            entries.remove(key);
            return Optional.empty();
        }
        boolean refreshDue = (entry.expiresAt() - nowMillis) * 10 <= entry.expiresAt() - entry.storedAt();
        return Optional.of(new Hit(entry.response(), (nowMillis - entry.storedAt()) / 1000, refreshDue));
    }

    void put(Name name, int type, Message response, long nowMillis) {
        long ttl = cacheableSeconds(response);
        if (ttl <= 0) {
            return;
        }
        Message stored = response.clone();
        stored.getHeader().unsetFlag(Flags.TC);
        stored.removeAllRecords(Section.ADDITIONAL);
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record.getType() != Type.OPT) {
                stored.addRecord(record, Section.ADDITIONAL);
            }
        }
        synchronized (this) {
            entries.put(new Key(name, type), new Cached(stored, nowMillis, nowMillis + ttl * 1000));
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Seconds {@code response} may be cached; 0 when it must not be (errors, truncation, TTL 0). */
    static long cacheableSeconds(Message response) {
        if (response.getHeader().getFlag(Flags.TC)) {
            return 0;
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty()) {
            long min = response.getSection(Section.ANSWER).stream().mapToLong(Record::getTTL).min().orElse(0);
            return Math.min(min, MAX_POSITIVE_TTL.toSeconds());
        }
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            return response.getSection(Section.AUTHORITY).stream()
                    .filter(SOARecord.class::isInstance)
                    .map(SOARecord.class::cast)
                    .mapToLong(soa -> Math.min(soa.getTTL(), soa.getMinimum()))
                    .map(ttl -> Math.min(ttl, MAX_NEGATIVE_TTL.toSeconds()))
                    .findFirst()
                    .orElse(0);
        }
        return 0;
    }

    private static Message aged(Message stored, long elapsedSeconds) {
        Message copy = new Message();
        copy.getHeader().setRcode(stored.getRcode());
        for (int flag : new int[] {Flags.AA, Flags.RD, Flags.RA, Flags.AD}) {
            if (stored.getHeader().getFlag(flag)) {
                copy.getHeader().setFlag(flag);
            }
        }
        copy.getHeader().setFlag(Flags.QR);
        stored.getSection(Section.QUESTION).forEach(q -> copy.addRecord(q, Section.QUESTION));
        for (int section : SECTIONS) {
            for (Record record : stored.getSection(section)) {
                long remaining = Math.max(0, record.getTTL() - elapsedSeconds);
                copy.addRecord(Record.newRecord(record.getName(), record.getType(), record.getDClass(), remaining,
                        record.rdataToWireCanonical()), section);
            }
        }
        return copy;
    }
}

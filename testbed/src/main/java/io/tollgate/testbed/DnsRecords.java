package io.tollgate.testbed;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The data of a {@link FakeDns}: one zone, the root, so it is authoritative for every name. Names compare
 * case-insensitively (dnsjava {@link Name} does). A name with a CNAME holds nothing else. Thread-safe.
 */
final class DnsRecords {
    /** TTL of the SOA and its MINIMUM field, so negative answers may be cached for this many seconds. */
    static final long NEGATIVE_TTL = 30;

    private final Map<Name, Set<Record>> byName = new LinkedHashMap<>();
    private final SOARecord soa;

    DnsRecords() {
        soa = new SOARecord(Name.root, DClass.IN, NEGATIVE_TTL, name("ns.fakedns.invalid"),
                name("hostmaster.fakedns.invalid"), 1, 3600, 600, 86400, NEGATIVE_TTL);
        add(soa);
    }

    /** The zone's SOA, for the authority section of negative answers. */
    SOARecord soa() {
        return soa;
    }

    /** {@code name} as an absolute name, with or without its trailing dot. */
    static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    /** Adds a record; an identical one (same name, type and data) is kept once. */
    synchronized void add(Record record) {
        Set<Record> existing = byName.getOrDefault(record.getName(), Set.of());
        boolean cname = record.getType() == Type.CNAME;
        if (!existing.isEmpty() && (cname || existing.iterator().next().getType() == Type.CNAME)
                && !existing.contains(record)) {
            throw new IllegalArgumentException("a name with a CNAME holds nothing else: cannot add " + record
                    + " next to " + existing);
        }
        byName.computeIfAbsent(record.getName(), key -> new LinkedHashSet<>()).add(record);
    }

    /**
     * The records answering {@code name}/{@code type}: CNAMEs are followed within this data (unless the CNAME itself
     * is asked for), so the answer holds the chain, then the final name's records of that type.
     */
    synchronized Resolution resolve(Name name, int type) {
        var answer = new ArrayList<Record>();
        Set<Name> visited = new HashSet<>();
        Name current = name;
        while (visited.add(current)) {
            Set<Record> records = byName.getOrDefault(current, Set.of());
            Record cname = records.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (cname == null || type == Type.CNAME) {
                records.stream().filter(r -> r.getType() == type).forEach(answer::add);
                return new Resolution(answer, exists(current));
            }
            answer.add(cname);
            current = ((CNAMERecord) cname).getTarget();
        }
        return new Resolution(answer, true); // a CNAME loop: the chain is all there is
    }

    /** A name exists if it owns records or is an ancestor of a name that does (an empty non-terminal). */
    private boolean exists(Name name) {
        return byName.keySet().stream().anyMatch(owner -> owner.subdomain(name));
    }

    /** The answer records and whether the last name of the chain exists (false → NXDOMAIN). */
    record Resolution(List<Record> answer, boolean nameExists) {
    }
}

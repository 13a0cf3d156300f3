package io.tollgate.dns.resolve;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What an answer says the queried name leads to: the CNAME chain followed from the query name through the answer
 * section, and the A/AAAA records at its end. Records for names off the chain (which a resolver has no reason to
 * send) are not part of it.
 *
 * @param cnames the CNAME targets in the order they were followed, lower case without the trailing dot
 */
public record AnswerChain(List<String> cnames, List<Address> addresses) {
    /** Longer chains are answered as far as they go; real ones have a handful of links. */
    static final int MAX_LINKS = 16;

    public record Address(InetAddress address, long ttlSeconds) {}

    public AnswerChain {
        cnames = List.copyOf(cnames);
        addresses = List.copyOf(addresses);
    }

    public static AnswerChain follow(Name qname, Message response) {
        List<Record> answers = response.getSection(Section.ANSWER);
        List<String> cnames = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        Name current = qname;
        seen.add(current);
        for (int link = 0; link < MAX_LINKS; link++) {
            Name target = cnameOf(current, answers);
            if (target == null || !seen.add(target)) {
                break;
            }
            cnames.add(text(target));
            current = target;
        }
        List<Address> addresses = new ArrayList<>();
        for (Record record : answers) {
            if (!record.getName().equals(current)) {
                continue;
            }
            if (record instanceof ARecord a) {
                addresses.add(new Address(a.getAddress(), a.getTTL()));
            } else if (record instanceof AAAARecord aaaa) {
                addresses.add(new Address(aaaa.getAddress(), aaaa.getTTL()));
            }
        }
        return new AnswerChain(cnames, addresses);
    }

    public List<InetAddress> addressList() {
        return addresses.stream().map(Address::address).toList();
    }

    private static Name cnameOf(Name owner, List<Record> answers) {
        for (Record record : answers) {
            if (record instanceof CNAMERecord cname && cname.getName().equals(owner)) {
                return cname.getTarget();
            }
        }
        return null;
    }

    static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}

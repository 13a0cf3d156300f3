package io.tollgate.dns.decide;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.EgressMode;
import io.tollgate.policy.ioc.IocList;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Type;

/**
 * The DNS rules of DESIGN.md ("DNS from job J") as pure functions: the query and the runner's policy in, a
 * {@link DnsDecision} out; then, for a query that went upstream, the answer judged against the IOC list. No I/O,
 * no clock, no state.
 */
public final class DnsQueryDecider {
    private DnsQueryDecider() {}

    public static DnsDecision decide(InetAddress source, String qname, int qtype, Optional<CompiledPolicy> policy,
            IocList ioc) {
        String name = stripDot(qname).toLowerCase(Locale.ROOT);
        String query = name + " " + Type.string(qtype) + " from " + source.getHostAddress();
        if (ioc.blocksName(name)) {
            return local(DnsReason.IOC, List.of(), "'" + name + "' is on the IOC blocklist (" + query + ")");
        }
        if (!name.contains(".")) {
            return local(DnsReason.SINGLE_LABEL, List.of(), "single-label name '" + name + "' is answered locally;"
                    + " service containers resolve on the runner host (" + query + ")");
        }
        if (policy.isEmpty()) {
            return local(DnsReason.NO_POLICY, List.of(), "no policy covers runner " + source.getHostAddress()
                    + "; add its subnet to the sources of a policy (" + query + ")");
        }
        CompiledPolicy p = policy.get();
        if (p.matcher().allowsNameOnAnyPort(name)) {
            return new DnsDecision(DnsVerdict.ALLOW, DnsReason.ALLOWLISTED, true, List.of(),
                    name + " is in allowed-endpoints of policy '" + p.name() + "'");
        }
        List<String> flags = ExfilSignals.of(name, qtype);
        String reason = flags.isEmpty() ? DnsReason.NOT_ALLOWLISTED : DnsReason.DNS_EXFIL;
        String why = name + " is not in allowed-endpoints of policy '" + p.name() + "'"
                + (flags.isEmpty() ? "" : " and looks like DNS exfiltration " + flags);
        if (p.mode() == EgressMode.AUDIT) {
            return new DnsDecision(DnsVerdict.WOULD_BLOCK, reason, true, flags,
                    "audit mode forwards what block mode would answer NXDOMAIN: " + why);
        }
        return local(reason, flags, why + "; answered NXDOMAIN without asking upstream (" + query
                + "); add it to allowed-endpoints if the job needs it");
    }

    /**
     * Judges an upstream answer to a query that {@code decide} let through: a CNAME chain leading into an IOC name,
     * or an address on the IOC list, turns it into an IOC block in every mode.
     *
     * @param chain the CNAME targets followed from the query name, in order (empty without CNAMEs)
     * @param addresses the A/AAAA addresses at the end of the chain
     */
    public static DnsDecision judgeAnswer(DnsDecision query, List<String> chain, List<InetAddress> addresses,
            IocList ioc) {
        for (String name : chain) {
            if (ioc.blocksName(name)) {
                return local(DnsReason.IOC, query.flags(), "the answer's CNAME chain " + chain + " leads to '"
                        + stripDot(name) + "', which is on the IOC blocklist");
            }
        }
        for (InetAddress address : addresses) {
            if (ioc.blocksIp(address)) {
                return local(DnsReason.IOC, query.flags(), "the answer contains " + address.getHostAddress()
                        + ", which is on the IOC blocklist");
            }
        }
        return query;
    }

    private static DnsDecision local(String reason, List<String> flags, String explanation) {
        return new DnsDecision(DnsVerdict.BLOCK, reason, false, flags, explanation);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}

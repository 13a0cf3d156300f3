package io.tollgate.gateway.decide;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.EgressMode;
import io.tollgate.policy.ioc.IocList;
import io.tollgate.policy.match.EndpointMatcher;
import java.util.Optional;

/**
 * The decision rules of DESIGN.md as one pure function: facts, DNS evidence and policy in, verdict out.
 * No I/O, no clock, no state: the same inputs always give the same decision.
 */
public final class ConnectionDecider {
    private ConnectionDecider() {}

    public static Decision decide(ConnectionFacts facts, DnsEvidence dns, Optional<CompiledPolicy> policy,
            IocList ioc) {
        String dst = facts.destinationIp().getHostAddress() + ":" + facts.port();
        String policyName = policy.map(CompiledPolicy::name).orElse(null);
        String policyVersion = policy.map(CompiledPolicy::version).orElse(null);

        if (ioc.blocksIp(facts.destinationIp())) {
            return new Decision(Verdict.BLOCK, Reason.IOC, policyName, policyVersion,
                    "destination " + dst + " is on the IOC blocklist");
        }
        if (facts.name() != null && ioc.blocksName(facts.name())) {
            return new Decision(Verdict.BLOCK, Reason.IOC, policyName, policyVersion,
                    "'" + facts.name() + "' is on the IOC blocklist");
        }
        if (policy.isEmpty()) {
            return new Decision(Verdict.BLOCK, Reason.NO_POLICY, null, null,
                    "no policy covers runner " + facts.source().getHostAddress()
                            + "; add its subnet to the sources of a policy");
        }
        CompiledPolicy p = policy.get();
        Decision byPolicy = byAllowlist(facts, dns, p.matcher(), dst, p);
        if (byPolicy.verdict() == Verdict.BLOCK && p.mode() == EgressMode.AUDIT) {
            return new Decision(Verdict.WOULD_BLOCK, byPolicy.reason(), p.name(), p.version(),
                    "audit mode lets through what block mode would stop: " + byPolicy.explanation());
        }
        return byPolicy;
    }

    private static Decision byAllowlist(ConnectionFacts facts, DnsEvidence dns, EndpointMatcher matcher, String dst,
            CompiledPolicy p) {
        if (facts.malformed() != null) {
            return block(Reason.MALFORMED, p, "the first bytes to " + dst + " are malformed: " + facts.malformed());
        }
        if (matcher.allows(facts.destinationIp(), facts.port())) {
            return new Decision(Verdict.ALLOW, Reason.ALLOWLISTED, p.name(), p.version(),
                    dst + " is inside an allowed CIDR");
        }
        String name = facts.name();
        if (name != null) {
            if (matcher.allows(name, facts.port())) {
                if (!dns.vouchesFor(name)) {
                    return block(Reason.SNI_IP_MISMATCH, p, name + " is allowlisted, but " + dst
                            + " is not one of its addresses (neither in this job's DNS answers nor in the gateway's own"
                            + " resolution): SNI spoofing or domain fronting");
                }
                return new Decision(Verdict.ALLOW, Reason.ALLOWLISTED, p.name(), p.version(),
                        name + ":" + facts.port() + " is allowlisted");
            }
            if (matcher.allowsNameOnAnyPort(name)) {
                return block(Reason.PORT, p, name + " is allowlisted, but not on port " + facts.port()
                        + "; add " + name + ":" + facts.port() + " to allowed-endpoints if it is needed");
            }
            return block(Reason.NOT_ALLOWLISTED, p, name + ":" + facts.port()
                    + " is not in allowed-endpoints; add it if the job needs it");
        }
        for (String bound : dns.boundNames()) {
            if (matcher.allows(bound, facts.port())) {
                return new Decision(Verdict.ALLOW, Reason.ALLOWLISTED, p.name(), p.version(),
                        dst + " was resolved by this job's DNS for " + bound + ":" + facts.port() + ", which is allowlisted");
            }
        }
        if (facts.protocol() == Protocol.OPAQUE) {
            return block(Reason.NO_NAME, p, "the connection to " + dst + " carries no TLS SNI or HTTP Host, no allowed"
                    + " CIDR covers it and this job's DNS did not resolve it for an allowed name");
        }
        return block(Reason.DIRECT_IP, p, "direct connection to " + dst + " without a host name that this job's DNS"
                + " resolved; allow it with an allowed-cidrs entry if it is needed");
    }

    private static Decision block(Reason reason, CompiledPolicy p, String explanation) {
        return new Decision(Verdict.BLOCK, reason, p.name(), p.version(), explanation);
    }
}

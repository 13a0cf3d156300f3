package io.tollgate.gateway.decide;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What DNS says about a connection's destination address, for decision rules 3–5 of DESIGN.md.
 *
 * @param checked whether DNS evidence was gathered at all; {@code false} only while no dns-firewall runs on the node,
 *     and then a name is trusted without checking its address
 * @param boundNames the names this runner's own DNS answers (through the dns-firewall) bound to the destination
 *     address, unexpired, lower case
 * @param nameResolvesToDestination for a named connection whose name is not in {@code boundNames}: whether the
 *     gateway's own fresh resolution of the name contains the destination address
 */
public record DnsEvidence(boolean checked, Set<String> boundNames, boolean nameResolvesToDestination) {
    public static final DnsEvidence UNCHECKED = new DnsEvidence(false, Set.of(), false);

    public DnsEvidence {
        boundNames = Collections.unmodifiableSortedSet(new TreeSet<>(boundNames));
    }

    public static DnsEvidence bound(Set<String> names) {
        return new DnsEvidence(true, names, false);
    }

    public static DnsEvidence resolved(Set<String> boundNames, boolean resolvesToDestination) {
        return new DnsEvidence(true, boundNames, resolvesToDestination);
    }

    boolean vouchesFor(String name) {
        return !checked || boundNames.contains(name) || nameResolvesToDestination;
    }
}

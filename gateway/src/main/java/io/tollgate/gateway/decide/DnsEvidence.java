package io.tollgate.gateway.decide;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What DNS says about a connection's destination address, for decision rules 3–5 of DESIGN.md.
 *
 * @param boundNames the names this runner's own DNS answers (through the dns-firewall) bound to the destination
 *     address, unexpired, lower case
 * @param nameResolvesToDestination for a named connection whose name is not in {@code boundNames}: whether the
 *     gateway's own fresh resolution of the name contains the destination address
 */
public record DnsEvidence(Set<String> boundNames, boolean nameResolvesToDestination) {
    public DnsEvidence {
        // Most connections come with no bound name: skip the copy into a fresh TreeSet for those.
        boundNames = boundNames.isEmpty() ? Collections.emptySortedSet()
                : Collections.unmodifiableSortedSet(new TreeSet<>(boundNames));
    }

    public static DnsEvidence bound(Set<String> names) {
        return new DnsEvidence(names, false);
    }

    public static DnsEvidence resolved(Set<String> boundNames, boolean resolvesToDestination) {
        return new DnsEvidence(boundNames, resolvesToDestination);
    }

    boolean vouchesFor(String name) {
        return boundNames.contains(name) || nameResolvesToDestination;
    }
}

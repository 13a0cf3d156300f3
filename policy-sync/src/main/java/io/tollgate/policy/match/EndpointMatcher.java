package io.tollgate.policy.match;

import io.tollgate.policy.endpoint.CidrEndpoint;
import io.tollgate.policy.endpoint.EndpointList;
import io.tollgate.policy.endpoint.HostEndpoint;
import java.net.InetAddress;
import java.util.List;

/**
 * The compiled allowed endpoints of one policy: host patterns in a {@link HostTrie}, networks in a
 * {@link CidrTrie}. Immutable and thread-safe; lookups allocate nothing unless the name must first be lower-cased,
 * stripped of a trailing dot or converted from Unicode.
 */
public final class EndpointMatcher {
    private final HostTrie hosts;
    private final CidrTrie<PortSet> cidrs;
    private final int size;

    private EndpointMatcher(HostTrie hosts, CidrTrie<PortSet> cidrs, int size) {
        this.hosts = hosts;
        this.cidrs = cidrs;
        this.size = size;
    }

    public static EndpointMatcher compile(EndpointList list) {
        HostTrie.Builder hostBuilder = new HostTrie.Builder();
        for (HostEndpoint host : list.hosts()) {
            hostBuilder.add(host.pattern(), host.port());
        }
        HostTrie hostTrie = hostBuilder.build();
        CidrTrie.Builder<PortSet> cidrBuilder = CidrTrie.builder();
        int cidrEntries = 0;
        for (CidrEndpoint cidr : distinct(list.cidrs())) {
            PortSet ports = cidr.port() == CidrEndpoint.ANY_PORT ? PortSet.ANY : PortSet.of(List.of(cidr.port()));
            cidrBuilder.put(cidr.cidr(), ports, PortSet::union);
            cidrEntries++;
        }
        return new EndpointMatcher(hostTrie, cidrBuilder.build(), hostTrie.size() + cidrEntries);
    }

    private static List<CidrEndpoint> distinct(List<CidrEndpoint> cidrs) {
        return cidrs.stream().distinct().toList();
    }

    /** True when {@code name} (any case, trailing dot allowed, Unicode or A-labels) is allowed on {@code port}. */
    public boolean allows(String name, int port) {
        if (port < 1 || port > 65535) {
            return false;
        }
        String normalized = LookupName.normalize(name);
        return normalized != null && hosts.matches(normalized, port);
    }

    /** True when an allowed CIDR entry contains {@code ip} for {@code port}. Host entries are not consulted. */
    public boolean allows(InetAddress ip, int port) {
        return port >= 1 && port <= 65535 && cidrs.anyMatch(ip, port, PortSet::admits);
    }

    /** True when {@code name} is allowed on at least one port (the DNS firewall resolves such names). */
    public boolean allowsNameOnAnyPort(String name) {
        String normalized = LookupName.normalize(name);
        return normalized != null && hosts.matches(normalized, PortSet.ANY_QUERY);
    }

    /** True when an allowed CIDR entry contains {@code ip} for at least one port. */
    public boolean allowsIpOnAnyPort(InetAddress ip) {
        return cidrs.anyMatch(ip, PortSet.ANY_QUERY, PortSet::admits);
    }

    /** Number of distinct (pattern, port) and (network, port) entries. */
    public int size() {
        return size;
    }
}

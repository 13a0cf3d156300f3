package io.tollgate.policy.ioc;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.Cidr;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.endpoint.CidrEndpoint;
import io.tollgate.policy.endpoint.EndpointList;
import io.tollgate.policy.endpoint.HostEndpoint;
import io.tollgate.policy.endpoint.HostPatternParser;
import io.tollgate.policy.match.EndpointMatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Indicators of compromise: domains (blocking the domain and every name below it) and IP networks, blocked in
 * every mode. Compiled into the same structures as allowed endpoints, queried for any port. Immutable.
 */
public final class IocList {
    /** The matcher needs a port per entry; IOC entries block every port and are queried port-agnostically. */
    private static final int PLACEHOLDER_PORT = 443;
    private static final IocList EMPTY = new IocList(EndpointMatcher.compile(EndpointList.empty()), 0);

    private final EndpointMatcher matcher;
    private final int size;

    private IocList(EndpointMatcher matcher, int size) {
        this.matcher = matcher;
        this.size = size;
    }

    public static IocList empty() {
        return EMPTY;
    }

    /**
     * @param domains    domains from the config ({@code ioc.domains})
     * @param ipsOrCidrs addresses or networks from the config ({@code ioc.ips})
     * @param feedFiles  files with one domain, IP or CIDR per line; {@code #} comments and blank lines allowed
     */
    public static IocList of(List<String> domains, List<String> ipsOrCidrs, List<Path> feedFiles)
            throws PolicyException {
        Set<String> names = new LinkedHashSet<>();
        Set<Cidr> networks = new LinkedHashSet<>();
        for (String domain : domains) {
            names.add(parseDomain("ioc domains", 0, domain));
        }
        for (String entry : ipsOrCidrs) {
            networks.add(parseNetwork("ioc ips", 0, entry));
        }
        for (Path feed : feedFiles) {
            readFeed(feed, names, networks);
        }
        List<HostEndpoint> hosts = names.stream()
                .flatMap(name -> List.of(new HostEndpoint(name, PLACEHOLDER_PORT),
                        new HostEndpoint("*." + name, PLACEHOLDER_PORT)).stream())
                .toList();
        List<CidrEndpoint> cidrs = networks.stream().map(cidr -> new CidrEndpoint(cidr, CidrEndpoint.ANY_PORT)).toList();
        return new IocList(EndpointMatcher.compile(new EndpointList(hosts, cidrs)), names.size() + networks.size());
    }

    private static void readFeed(Path feed, Set<String> names, Set<Cidr> networks) throws PolicyException {
        String source = "ioc feed " + feed;
        List<String> lines;
        try {
            lines = Files.readAllLines(feed, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException(source + ": cannot read the file (" + e + ")");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String entry = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || InetAddresses.isInetAddress(entry)) {
                networks.add(parseNetwork(source, i + 1, entry));
            } else {
                names.add(parseDomain(source, i + 1, entry));
            }
        }
    }

    private static String parseDomain(String source, int line, String entry) throws PolicyException {
        try {
            return HostPatternParser.normalizeName(entry.strip());
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source, line, entry, e.getMessage() + "; expected a domain, IP address or CIDR");
        }
    }

    private static Cidr parseNetwork(String source, int line, String entry) throws PolicyException {
        try {
            return Cidr.parse(entry);
        } catch (PolicyException e) {
            throw new PolicyException(source, line, entry, e.reason());
        }
    }

    /** True for a listed domain and every name below it (any case, trailing dot allowed, Unicode or A-labels). */
    public boolean blocksName(String name) {
        return matcher.allowsNameOnAnyPort(name);
    }

    public boolean blocksIp(InetAddress ip) {
        return matcher.allowsIpOnAnyPort(ip);
    }

    /** Number of distinct domains and networks. */
    public int size() {
        return size;
    }
}

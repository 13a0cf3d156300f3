package io.tollgate.policy.endpoint;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.Cidr;
import io.tollgate.policy.PolicyException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Parses {@code allowed-endpoints} text: entries separated by whitespace or newlines, {@code #} starts a comment.
 * An entry is {@code host[:port]}, {@code cidr[:port|:*]}, {@code [ipv6-cidr][:port|:*]} or {@code @set-name};
 * a missing port means 443. Errors name the source, the line and the entry.
 */
public final class EndpointParser {
    static final int DEFAULT_PORT = 443;

    private EndpointParser() {
    }

    public static EndpointList parse(String source, String text, EndpointSets sets) throws PolicyException {
        Set<HostEndpoint> hosts = new LinkedHashSet<>();
        Set<CidrEndpoint> cidrs = new LinkedHashSet<>();
        parseInto(source, text, sets, new ArrayDeque<>(), hosts, cidrs);
        return new EndpointList(new ArrayList<>(hosts), new ArrayList<>(cidrs));
    }

    /** Parses one CIDR entry as written in {@code allowed-cidrs}: {@code 10.0.0.0/8:5432}, {@code [2001:db8::/32]:*}. */
    public static CidrEndpoint parseCidr(String source, String entry) throws PolicyException {
        String trimmed = entry == null ? "" : entry.strip();
        try {
            HostAndPort parts = HostAndPort.split(trimmed);
            if (!parts.isAddress()) {
                throw new IllegalArgumentException("'" + parts.host() + "' is not an IP address or CIDR;"
                        + " host names go in allowed-endpoints");
            }
            return parts.toCidrEndpoint();
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source, 0, trimmed, e.getMessage());
        }
    }

    private static void parseInto(String source, String text, EndpointSets sets, Deque<String> including,
            Set<HostEndpoint> hosts, Set<CidrEndpoint> cidrs) throws PolicyException {
        if (text == null) {
            return;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = line.indexOf('#');
            String content = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (content.isEmpty()) {
                continue;
            }
            for (String entry : content.split("\\s+")) {
                int lineNumber = i + 1;
                if (entry.startsWith("@")) {
                    include(source, lineNumber, entry, sets, including, hosts, cidrs);
                } else {
                    parseEntry(source, lineNumber, entry, hosts, cidrs);
                }
            }
        }
    }

    private static void parseEntry(String source, int line, String entry, Set<HostEndpoint> hosts,
            Set<CidrEndpoint> cidrs) throws PolicyException {
        try {
            HostAndPort parts = HostAndPort.split(entry);
            if (parts.isAddress()) {
                cidrs.add(parts.toCidrEndpoint());
            } else {
                hosts.add(parts.toHostEndpoint());
            }
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source, line, entry, e.getMessage());
        }
    }

    private static void include(String source, int line, String entry, EndpointSets sets, Deque<String> including,
            Set<HostEndpoint> hosts, Set<CidrEndpoint> cidrs) throws PolicyException {
        String name = entry.substring(1);
        if (name.contains(":")) {
            throw new PolicyException(source, line, entry, "an endpoint set carries its own ports; write @"
                    + name.substring(0, name.indexOf(':')) + " without a port");
        }
        String text = sets.text(name).orElseThrow(() -> new PolicyException(source, line, entry,
                "unknown endpoint set '" + name + "'; known sets: " + String.join(", ", sets.names())));
        if (including.contains(name)) {
            throw new PolicyException(source, line, entry, "endpoint set '" + name + "' includes itself");
        }
        including.push(name);
        parseInto("endpoint set '" + name + "'", text, sets, including, hosts, cidrs);
        including.pop();
    }

    /** One entry split into its host part and its port text ({@code null} when absent). */
    private record HostAndPort(String host, String port) {

        static HostAndPort split(String entry) {
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("empty entry");
            }
            if (entry.contains("://")) {
                throw new IllegalArgumentException("an entry is a host name and port, not a URL; write it as"
                        + " host:port, such as github.com:443");
            }
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("missing ']'; write an IPv6 entry as [2001:db8::/32]:443");
                }
                String rest = entry.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected '" + rest + "' after ']'; write [2001:db8::/32]:443");
                }
                String host = entry.substring(1, close);
                if (!host.contains(":")) {
                    throw new IllegalArgumentException("brackets are only for IPv6 addresses, as [2001:db8::/32]:443");
                }
                return new HostAndPort(host, rest.isEmpty() ? null : rest.substring(1));
            }
            int colons = (int) entry.chars().filter(c -> c == ':').count();
            if (colons > 1) {
                int slash = entry.indexOf('/');
                if (slash >= 0 && entry.indexOf(':', slash) >= 0) {
                    throw new IllegalArgumentException("write an IPv6 network with a port in brackets, as"
                            + " [2001:db8::/32]:443");
                }
                return new HostAndPort(entry, null);
            }
            if (colons == 0) {
                return new HostAndPort(entry, null);
            }
            int colon = entry.indexOf(':');
            return new HostAndPort(entry.substring(0, colon), entry.substring(colon + 1));
        }

        boolean isAddress() {
            int slash = host.indexOf('/');
            if (slash >= 0 && !InetAddresses.isInetAddress(host.substring(0, slash))) {
                throw new IllegalArgumentException("paths are not part of an entry, and '/' is only for CIDRs such as"
                        + " 10.0.0.0/8; write the host name alone");
            }
            return slash >= 0 || InetAddresses.isInetAddress(host);
        }

        CidrEndpoint toCidrEndpoint() {
            Cidr cidr;
            try {
                cidr = Cidr.parse(host);
            } catch (PolicyException e) {
                throw new IllegalArgumentException(e.reason());
            }
            if ("*".equals(port)) {
                return new CidrEndpoint(cidr, CidrEndpoint.ANY_PORT);
            }
            return new CidrEndpoint(cidr, parsePort());
        }

        HostEndpoint toHostEndpoint() {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("missing host before ':" + port + "'");
            }
            if ("*".equals(port)) {
                throw new IllegalArgumentException("':*' (any port) is only for IP addresses and CIDRs; list each"
                        + " port of a host name, as " + host + ":443 " + host + ":80");
            }
            int number = parsePort();
            return new HostEndpoint(HostPatternParser.normalizePattern(host), number);
        }

        private int parsePort() {
            if (port == null) {
                return DEFAULT_PORT;
            }
            if (port.isEmpty()) {
                throw new IllegalArgumentException("missing port after ':'; write host:443, or the host alone for 443");
            }
            if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("port '" + port + "' is not a number 1..65535");
            }
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("port " + number + " is outside 1..65535");
            }
            return number;
        }
    }
}

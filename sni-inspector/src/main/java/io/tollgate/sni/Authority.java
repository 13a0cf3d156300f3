package io.tollgate.sni;

import java.util.Locale;

/**
 * A URI authority without userinfo ({@code host[:port]}, {@code [v6]:port}) as found in a Host header, an
 * absolute-form or an authority-form request-target.
 *
 * @param host lower-cased, IPv6 literals without brackets; null when the authority is empty
 * @param port -1 when not given
 */
record Authority(String host, int port) {

    private static final Authority EMPTY = new Authority(null, -1);

    /** @param source names the authority's origin in failure reasons, e.g. "Host header" */
    static Authority parse(String text, boolean portRequired, String source) {
        if (text.isEmpty()) {
            if (portRequired) {
                throw InspectionFailure.http(source + " is empty");
            }
            return EMPTY;
        }
        String host;
        String portText;
        if (text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 0) {
                throw InspectionFailure.http(source + " has an unclosed IPv6 literal");
            }
            host = text.substring(1, close);
            checkIpv6(host, source);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ':') {
                throw InspectionFailure.http(source + " has characters after its IPv6 literal");
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
            checkRegName(host, source);
        }
        if (host.isEmpty()) {
            throw InspectionFailure.http(source + " has an empty host");
        }
        int port = port(portText, source);
        if (portRequired && port < 0) {
            throw InspectionFailure.http(source + " has no port");
        }
        return new Authority(host.toLowerCase(Locale.ROOT), port);
    }

    /** An empty port ("host:") is allowed by RFC 3986 and means "not given". */
    private static int port(String text, String source) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        if (text.length() > 5) {
            throw InspectionFailure.http(source + " has an invalid port");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw InspectionFailure.http(source + " has an invalid port");
            }
            port = port * 10 + (c - '0');
        }
        if (port == 0 || port > 65535) {
            throw InspectionFailure.http(source + " has port " + port + " out of range");
        }
        return port;
    }

    // Stricter than RFC 3986 reg-name: percent-encoding and sub-delims have no business in a name we match on.
    private static void checkRegName(String host, String source) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                throw InspectionFailure.http(source + " contains invalid character 0x%02x".formatted((int) c));
            }
        }
    }

    private static void checkIpv6(String literal, String source) {
        if (literal.indexOf(':') < 0) {
            throw InspectionFailure.http(source + " has an invalid IPv6 literal");
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
            if (!ok) {
                throw InspectionFailure.http(source + " has an invalid IPv6 literal");
            }
        }
    }
}

package io.tollgate.gateway.config;

import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;

/** Parses {@code 10.0.0.2}, {@code 10.0.0.2:53}, {@code 2001:db8::1}, {@code [2001:db8::1]:53}: literal addresses only. */
final class SocketAddressText {
    private SocketAddressText() {}

    static InetSocketAddress parse(String key, String text, int defaultPort) throws ConfigException {
        String host = text.trim();
        int port = defaultPort;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new ConfigException(key + ": '" + text + "' has no closing ']'");
            }
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (!rest.isEmpty()) {
                port = port(key, text, rest);
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = port(key, text, host.substring(host.indexOf(':')));
            host = host.substring(0, host.indexOf(':'));
        }
        if (!InetAddresses.isInetAddress(host)) {
            throw new ConfigException(key + ": '" + text + "' is not an IP address (with an optional :port);"
                    + " write e.g. 10.0.0.2:53 or [2001:db8::53]:53");
        }
        return new InetSocketAddress(InetAddresses.forString(host), port);
    }

    private static int port(String key, String text, String colonPort) throws ConfigException {
        String digits = colonPort.startsWith(":") ? colonPort.substring(1) : "";
        if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
            throw new ConfigException(key + ": '" + text + "' has a bad port; write e.g. 10.0.0.2:53");
        }
        return Integer.parseInt(digits);
    }
}

package io.tollgate.policy.endpoint;

import io.tollgate.policy.Cidr;
import java.util.Objects;

/** A network and one port; port 0 means any port (written {@code 10.0.0.0/8:*}). */
public record CidrEndpoint(Cidr cidr, int port) {
    public static final int ANY_PORT = 0;

    public CidrEndpoint {
        Objects.requireNonNull(cidr, "cidr");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
    }

    @Override
    public String toString() {
        String portText = port == ANY_PORT ? "*" : Integer.toString(port);
        return cidr.network() instanceof java.net.Inet6Address ? "[" + cidr + "]:" + portText : cidr + ":" + portText;
    }
}

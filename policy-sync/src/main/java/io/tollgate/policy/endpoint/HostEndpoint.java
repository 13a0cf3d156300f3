package io.tollgate.policy.endpoint;

import java.util.Objects;

/**
 * A host name or wildcard pattern and one port. {@code pattern} is normalized: lower-case A-labels, no trailing
 * dot; forms are {@code github.com}, {@code *.example.com} (any depth below, never the apex) and
 * {@code productionresultssa*.blob.core.windows.net} ({@code *} within the leftmost label only).
 */
public record HostEndpoint(String pattern, int port) {

    public HostEndpoint {
        Objects.requireNonNull(pattern, "pattern");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
    }

    @Override
    public String toString() {
        return pattern + ":" + port;
    }
}

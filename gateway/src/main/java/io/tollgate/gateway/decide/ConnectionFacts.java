package io.tollgate.gateway.decide;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What the inspectors learned about one intercepted connection, before any policy is applied.
 *
 * @param name the host the client asked for (TLS SNI or HTTP Host, lower case); {@code null} when the client
 *     named none or named an IP literal
 * @param ech the ClientHello carried an encrypted_client_hello extension: {@code name} is only the outer SNI
 * @param malformed why the first bytes claimed to be TLS/HTTP but were broken; {@code null} otherwise
 * @param httpMethod the request method of a plain HTTP connection, else {@code null}
 * @param httpPath the request target of a plain HTTP connection, else {@code null}
 */
public record ConnectionFacts(
        InetAddress source,
        InetSocketAddress destination,
        Protocol protocol,
        String name,
        boolean ech,
        String malformed,
        String httpMethod,
        String httpPath) {

    public int port() {
        return destination.getPort();
    }

    public InetAddress destinationIp() {
        return destination.getAddress();
    }
}

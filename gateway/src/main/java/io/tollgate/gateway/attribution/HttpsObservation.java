package io.tollgate.gateway.attribution;

import java.net.InetAddress;

/**
 * One HTTP request an agent read from a runner process's TLS writes: method, host and path only.
 * {@code destination} is null (and the ports 0) when the agent did not see the TLS session's socket.
 */
public record HttpsObservation(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
        AttributedProcess process, String method, String host, String path) {}

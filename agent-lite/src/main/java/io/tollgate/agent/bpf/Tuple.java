package io.tollgate.agent.bpf;

import java.net.InetAddress;

/** A connection's 5-tuple as the runner sees it: its own address and port, then the destination's. */
public record Tuple(String protocol, InetAddress source, int sourcePort, InetAddress destination,
        int destinationPort) {}

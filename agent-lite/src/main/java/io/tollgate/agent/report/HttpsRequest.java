package io.tollgate.agent.report;

import io.tollgate.agent.bpf.Tuple;

/**
 * One HTTP request a process sent inside TLS: method, Host (or :authority) and path only, never a body.
 * {@code tuple} is null when the socket of the TLS session was not seen.
 */
public record HttpsRequest(Tuple tuple, ProcessRef process, String method, String host, String path) {}

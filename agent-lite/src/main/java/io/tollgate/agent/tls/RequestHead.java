package io.tollgate.agent.tls;

/** Method, host and path of one request read from a TLS write. {@code host} may be null (HTTP/1.0 without Host). */
public record RequestHead(String method, String host, String path) {}

package io.tollgate.sni;

/**
 * The facts an HTTP/1.x request head reveals.
 *
 * @param method     the request method token, as sent
 * @param target     the request-target, as sent
 * @param host       from an absolute-form or authority-form target, else from the Host header; lower-cased,
 *                   port stripped, IPv6 literals without brackets; null when absent or empty
 * @param port       the port given with that host, -1 when none was given
 * @param version    e.g. "HTTP/1.1"
 * @param headLength bytes from the request line up to and including the empty line that ends the head
 */
public record HttpRequestHead(String method, String target, String host, int port, String version, int headLength) {}

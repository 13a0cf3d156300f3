package io.tollgate.testbed;

/**
 * Something that reached a fake internet server. {@code serverIp} is spelled as it was given to
 * {@link FakeInternet}. For HTTP, {@code host} is the Host header (port stripped) and {@code sni} the TLS server
 * name (null over plain HTTP or without SNI). A raw TCP echo connection is recorded on accept with
 * {@code method} {@value #TCP_CONNECT} and null sni, host and path.
 */
public record RecordedRequest(String serverIp, int port, String sni, String host, String method, String path) {
    public static final String TCP_CONNECT = "TCP-CONNECT";
}

package io.tollgate.testbed;

/**
 * Something that reached a fake internet server, in three kinds:
 * <ul>
 *   <li>every accepted connection: {@code method} {@value #TCP_CONNECT}, sni, host and path null;</li>
 *   <li>every TLS ClientHello: {@code method} {@value #TLS_CLIENT_HELLO}, {@code sni} the server name (null
 *       without SNI);</li>
 *   <li>every HTTP request: method and path (the request target as sent), {@code host} the Host header without
 *       port, {@code sni} null over plain HTTP.</li>
 * </ul>
 * {@code serverIp} is spelled as it was given to {@link FakeInternet}. To prove a blocked connection never reached
 * the internet, assert that no record at all names its address.
 */
public record RecordedRequest(String serverIp, int port, String sni, String host, String method, String path) {
    public static final String TCP_CONNECT = "TCP-CONNECT";
    public static final String TLS_CLIENT_HELLO = "TLS-CLIENT-HELLO";
}

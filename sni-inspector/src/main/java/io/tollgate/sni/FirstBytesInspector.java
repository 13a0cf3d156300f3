package io.tollgate.sni;

import java.nio.ByteBuffer;

/**
 * Tells from the first bytes of a connection whether it opens with a TLS ClientHello, an HTTP/1.x request head
 * or something else, and hands the bytes to the matching parser. One instance per connection; not thread-safe.
 */
public final class FirstBytesInspector {

    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private ClientHelloParser tls;
    private HttpRequestHeadParser http;
    private Inspection verdict;

    public FirstBytesInspector() {}

    /** Same contract as {@link ClientHelloParser#offer(ByteBuffer)}. */
    public Inspection offer(ByteBuffer bytesSoFar) {
        if (verdict != null) {
            return verdict;
        }
        if (tls != null) {
            return tls.offer(bytesSoFar);
        }
        if (http != null) {
            return http.offer(bytesSoFar);
        }
        if (!bytesSoFar.hasRemaining()) {
            return Inspection.NeedMore.INSTANCE;
        }
        int first = bytesSoFar.get(bytesSoFar.position()) & 0xff;
        // A set high bit is how an SSLv2-compatible hello starts; the TLS parser names it.
        if (first == TLS_HANDSHAKE_RECORD || (first & 0x80) != 0) {
            tls = new ClientHelloParser();
            return tls.offer(bytesSoFar);
        }
        if (HttpToken.isTchar(first)) {
            http = new HttpRequestHeadParser();
            return http.offer(bytesSoFar);
        }
        verdict = new Inspection.Unrecognized("first byte 0x%02x starts neither TLS nor HTTP".formatted(first));
        return verdict;
    }
}

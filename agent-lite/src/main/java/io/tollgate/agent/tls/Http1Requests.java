package io.tollgate.agent.tls;

import io.tollgate.sni.HttpRequestHeadParser;
import io.tollgate.sni.Inspection;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The client side of one HTTP/1.x connection as written into TLS: a request head (request line and Host, through
 * sni-inspector's parser) at the start of a write, also when the client wrote it in several writes (a request line,
 * then the header lines: {@code openssl s_client} forwards its input as it reads it). A started head is kept until it
 * is complete, at most {@value #MAX_HEAD} bytes; a write that does not continue it is looked at as a new head.
 */
final class Http1Requests {
    static final int MAX_HEAD = 16 * 1024;

    private static final byte[] NONE = new byte[0];

    private byte[] pending = NONE;
    private HttpRequestHeadParser parser;

    /** Feeds one write: {@code captured} are its first bytes, {@code totalLength} how long it really was. */
    Optional<RequestHead> write(byte[] captured, long totalLength) {
        if (parser != null) {
            byte[] joined = Arrays.copyOf(pending, pending.length + captured.length);
            System.arraycopy(captured, 0, joined, pending.length, captured.length);
            Inspection seen = offer(joined, totalLength > captured.length);
            if (!(seen instanceof Inspection.Unrecognized || seen instanceof Inspection.Malformed)) {
                return head(seen);
            }
        }
        if (captured.length < 1 || !Character.isUpperCase(captured[0])) {
            return Optional.empty();
        }
        parser = new HttpRequestHeadParser(MAX_HEAD);
        return head(offer(captured, totalLength > captured.length));
    }

    /** {@code cut}: the write was longer than its capture, so a head still incomplete cannot be continued. */
    private Inspection offer(byte[] bytes, boolean cut) {
        Inspection seen = parser.offer(ByteBuffer.wrap(bytes));
        if (seen instanceof Inspection.NeedMore && !cut && bytes.length < MAX_HEAD) {
            pending = bytes;
        } else {
            pending = NONE;
            parser = null;
        }
        return seen;
    }

    private static Optional<RequestHead> head(Inspection seen) {
        if (seen instanceof Inspection.HttpHead(var head)) {
            return Optional.of(new RequestHead(head.method(), head.host(), head.target()));
        }
        return Optional.empty();
    }
}

package io.tollgate.sni;

import java.nio.ByteBuffer;

/**
 * Incrementally recognises an HTTP/1.x request head (RFC 9112) in the first bytes of a connection. Decides
 * "not HTTP" as soon as the first bytes stop looking like {@code token SP}, checks the request line once it is
 * complete, and reports the head once the empty line ending it has arrived. Bare LF line endings are tolerated.
 * Keeps only offsets and the parsed request line between calls. One instance per connection; not thread-safe.
 */
public final class HttpRequestHeadParser extends IncrementalParser {

    public static final int DEFAULT_MAX_HEAD_BYTES = 16 * 1024;

    /** Longer than any registered method (the longest, UPDATEREDIRECTREF, has 17 characters). */
    private static final int MAX_METHOD = 32;

    private final int maxHeadBytes;
    /** Offset (from the buffer's position) of the first byte not examined yet. */
    private int scanned;
    /** Offset of the space ending the method, -1 until seen. */
    private int methodEnd = -1;
    /** Offset of the LF ending the request line, -1 until seen. */
    private int requestLineEnd = -1;
    /** Bytes other than CR on the current line. */
    private int lineLength;
    private boolean afterCr;
    private RequestLine requestLine;

    public HttpRequestHeadParser() {
        this(DEFAULT_MAX_HEAD_BYTES);
    }

    public HttpRequestHeadParser(int maxHeadBytes) {
        this.maxHeadBytes = positiveCap("maxHeadBytes", maxHeadBytes);
    }

    @Override
    Inspection examine(ByteBuffer buffer) {
        int base = buffer.position();
        int end = Math.min(buffer.remaining(), maxHeadBytes);
        if (end <= scanned) {
            return Inspection.NeedMore.INSTANCE;
        }
        for (int i = scanned; i < end; i++) {
            int b = buffer.get(base + i) & 0xff;
            if (methodEnd < 0) {
                checkMethodByte(b, i);
                continue;
            }
            if (afterCr && b != '\n') {
                throw InspectionFailure.http("CR not followed by LF in request head");
            }
            afterCr = b == '\r';
            if (b == '\n') {
                if (requestLineEnd < 0) {
                    requestLineEnd = i;
                    requestLine = RequestLine.parse(buffer, base, base + methodEnd, base + i);
                } else if (lineLength == 0) {
                    return new Inspection.HttpHead(head(buffer, base, i + 1));
                }
                lineLength = 0;
            } else if (b != '\r') {
                if (b < 0x20 && b != '\t' || b == 0x7f) {
                    throw InspectionFailure.http("control character 0x%02x in request head".formatted(b));
                }
                lineLength++;
            }
        }
        scanned = end;
        if (end == maxHeadBytes) {
            throw InspectionFailure.http("request head exceeds " + maxHeadBytes + " bytes");
        }
        return Inspection.NeedMore.INSTANCE;
    }

    private void checkMethodByte(int b, int offset) {
        if (b == ' ' && offset > 0) {
            methodEnd = offset;
        } else if (!HttpToken.isTchar(b)) {
            throw InspectionFailure.unrecognized("first line is not an HTTP request line");
        } else if (offset >= MAX_METHOD) {
            throw InspectionFailure.unrecognized("first word is too long for an HTTP method");
        }
    }

    private HttpRequestHead head(ByteBuffer buffer, int base, int headLength) {
        Authority authority = requestLine.authority();
        String hostField = HostHeader.find(buffer, base + requestLineEnd + 1, base + headLength);
        if (hostField != null) {
            Authority fromHeader = Authority.parse(hostField, false, "Host header");
            // RFC 9112 section 3.2.2: an absolute-form (or authority-form) target overrides the Host header.
            if (authority == null) {
                authority = fromHeader;
            }
        }
        String host = authority == null ? null : authority.host();
        int port = authority == null ? -1 : authority.port();
        return new HttpRequestHead(requestLine.method(), requestLine.target(), host, port, requestLine.version(), headLength);
    }
}

package io.tollgate.sni;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Finds the Host field among a request head's header lines, checking each line's syntax on the way. */
final class HostHeader {

    private HostHeader() {}

    /**
     * @param from first byte of the first header line
     * @param to   index just past the LF that ends the last header line
     * @return the Host field value without surrounding whitespace, or null when there is no Host field
     */
    static String find(ByteBuffer buffer, int from, int to) {
        String host = null;
        int lineStart = from;
        while (lineStart < to) {
            int lineFeed = lineStart;
            while (buffer.get(lineFeed) != '\n') {
                lineFeed++;
            }
            int lineEnd = lineFeed > lineStart && buffer.get(lineFeed - 1) == '\r' ? lineFeed - 1 : lineFeed;
            if (lineEnd > lineStart) {
                String value = fieldValueIfHost(buffer, lineStart, lineEnd);
                if (value != null) {
                    if (host != null) {
                        throw InspectionFailure.http("duplicate Host header");
                    }
                    host = value;
                }
            }
            lineStart = lineFeed + 1;
        }
        return host;
    }

    private static String fieldValueIfHost(ByteBuffer buffer, int start, int end) {
        int first = buffer.get(start);
        if (first == ' ' || first == '\t') {
            throw InspectionFailure.http("obsolete header line folding");
        }
        int colon = start;
        while (colon < end && buffer.get(colon) != ':') {
            if (!HttpToken.isTchar(buffer.get(colon))) {
                throw InspectionFailure.http("invalid character 0x%02x in header name".formatted(buffer.get(colon) & 0xff));
            }
            colon++;
        }
        if (colon == end) {
            throw InspectionFailure.http("header line without a colon");
        }
        if (colon == start) {
            throw InspectionFailure.http("empty header name");
        }
        if (!isHost(buffer, start, colon)) {
            return null;
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && isWhitespace(buffer.get(valueStart))) {
            valueStart++;
        }
        while (valueEnd > valueStart && isWhitespace(buffer.get(valueEnd - 1))) {
            valueEnd--;
        }
        byte[] value = new byte[valueEnd - valueStart];
        buffer.get(valueStart, value);
        return new String(value, StandardCharsets.ISO_8859_1);
    }

    private static boolean isHost(ByteBuffer buffer, int start, int end) {
        if (end - start != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if ((buffer.get(start + i) | 0x20) != "host".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }
}

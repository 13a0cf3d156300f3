package io.tollgate.sni;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.x request line ({@code method SP request-target SP HTTP-version}, RFC 9112 section 3).
 *
 * @param authority host and port named by an absolute-form or authority-form target; null for origin/asterisk form
 */
record RequestLine(String method, String target, String version, Authority authority) {

    /**
     * @param start index of the line's first byte, the method being a token that ends at {@code methodEnd}
     * @param lineFeed index of the LF ending the line
     */
    static RequestLine parse(ByteBuffer buffer, int start, int methodEnd, int lineFeed) {
        int end = lineFeed;
        if (end > methodEnd && buffer.get(end - 1) == '\r') {
            end--;
        }
        int lastSpace = end - 1;
        while (lastSpace > methodEnd && buffer.get(lastSpace) != ' ') {
            lastSpace--;
        }
        String version = ascii(buffer, lastSpace + 1, end);
        if (lastSpace == methodEnd || !version.startsWith("HTTP/")) {
            throw InspectionFailure.unrecognized("request line has no HTTP version");
        }
        String method = ascii(buffer, start, methodEnd);
        String target = ascii(buffer, methodEnd + 1, lastSpace);
        if (method.equals("PRI") && target.equals("*") && version.equals("HTTP/2.0")) {
            throw InspectionFailure.unrecognized("HTTP/2 prior-knowledge preface");
        }
        if (version.length() != 8 || !version.startsWith("HTTP/1.") || !isDigit(version.charAt(7))) {
            throw InspectionFailure.http("version " + printable(version) + " is not HTTP/1.x");
        }
        checkTarget(target);
        return new RequestLine(method, target, version, authorityOf(method, target));
    }

    private static void checkTarget(String target) {
        if (target.isEmpty()) {
            throw InspectionFailure.http("empty request-target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == ' ') {
                throw InspectionFailure.http("space in request-target");
            }
            if (c < 0x21 || c > 0x7e) {
                throw InspectionFailure.http("invalid character 0x%02x in request-target".formatted((int) c));
            }
        }
    }

    private static Authority authorityOf(String method, String target) {
        if (method.equals("CONNECT")) {
            return Authority.parse(target, true, "CONNECT target");
        }
        char first = target.charAt(0);
        if (first == '/') {
            return null;
        }
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw InspectionFailure.http("asterisk-form target with method " + method);
            }
            return null;
        }
        return absoluteFormAuthority(target);
    }

    private static Authority absoluteFormAuthority(String target) {
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0 || !isScheme(target, schemeEnd)) {
            throw InspectionFailure.http("request-target is in no known form");
        }
        int start = schemeEnd + 3;
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        String authority = target.substring(start, end);
        if (authority.isEmpty()) {
            throw InspectionFailure.http("request-target has an empty authority");
        }
        if (authority.indexOf('@') >= 0) {
            throw InspectionFailure.http("userinfo in request-target");
        }
        return Authority.parse(authority, false, "request-target authority");
    }

    private static boolean isScheme(String target, int end) {
        if (!isLetter(target.charAt(0))) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = target.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String ascii(ByteBuffer buffer, int from, int to) {
        byte[] bytes = new byte[Math.max(0, to - from)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buffer.get(from + i);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String text) {
        String shortened = text.length() > 16 ? text.substring(0, 16) + "..." : text;
        return shortened.replaceAll("[^\\x21-\\x7e]", "?");
    }
}

package io.tollgate.sni;

/** RFC 9110 token characters (tchar): the alphabet of methods and header field names. */
final class HttpToken {

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private HttpToken() {}

    static boolean isTchar(int b) {
        return b >= 0 && b < 128 && TCHAR[b];
    }
}

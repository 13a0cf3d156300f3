package io.tollgate.sni;

/** Turns an SNI host_name into the form policy matches on, refusing anything that is not a DNS name in A-label form. */
final class SniHostname {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private SniHostname() {}

    /** @return the name lower-cased, without a trailing dot */
    static String normalize(byte[] raw) {
        int length = raw.length;
        if (length > 0 && raw[length - 1] == '.') {
            length--;
        }
        if (length == 0) {
            throw InspectionFailure.tls("SNI hostname is empty");
        }
        if (length > MAX_NAME) {
            throw InspectionFailure.tls("SNI hostname is longer than " + MAX_NAME + " bytes");
        }
        char[] name = new char[length];
        int labelLength = 0;
        for (int i = 0; i < length; i++) {
            int b = raw[i] & 0xff;
            if (b >= 0x80) {
                throw InspectionFailure.tls("SNI hostname is not ASCII");
            }
            char c = Character.toLowerCase((char) b);
            if (c == '.') {
                if (labelLength == 0) {
                    throw InspectionFailure.tls("SNI hostname has an empty label");
                }
                labelLength = 0;
            } else if (isLabelChar(c)) {
                if (++labelLength > MAX_LABEL) {
                    throw InspectionFailure.tls("SNI hostname has a label longer than " + MAX_LABEL + " bytes");
                }
            } else {
                throw InspectionFailure.tls("SNI hostname contains invalid character 0x%02x".formatted(b));
            }
            name[i] = c;
        }
        if (labelLength == 0) {
            throw InspectionFailure.tls("SNI hostname has an empty label");
        }
        return new String(name);
    }

    // Underscore is not LDH but real names (e.g. _acme-challenge, some CDN hosts) carry it.
    private static boolean isLabelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}

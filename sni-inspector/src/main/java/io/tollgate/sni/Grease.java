package io.tollgate.sni;

/** RFC 8701 GREASE values (0x0a0a, 0x1a1a, ... 0xfafa) that clients sprinkle in to keep servers tolerant. */
final class Grease {

    private Grease() {}

    static boolean isGrease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >>> 8) == (value & 0xff);
    }

    static boolean isGreaseAlpn(byte[] name) {
        return name.length == 2 && isGrease((name[0] & 0xff) << 8 | name[1] & 0xff);
    }
}

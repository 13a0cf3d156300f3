package io.tollgate.sni;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds ClientHello handshake messages (header included) byte by byte, so tests control every field. */
final class ClientHelloBuilder {

    private int legacyVersion = 0x0303;
    private byte[] sessionId = new byte[32];
    private int[] cipherSuites = {0x1301, 0x1302, 0xc02f};
    private final List<byte[]> extensions = new ArrayList<>();
    private byte[] trailing = new byte[0];
    private boolean omitExtensions;

    static ClientHelloBuilder hello() {
        return new ClientHelloBuilder();
    }

    ClientHelloBuilder legacyVersion(int version) {
        legacyVersion = version;
        return this;
    }

    ClientHelloBuilder sessionId(byte[] id) {
        sessionId = id;
        return this;
    }

    ClientHelloBuilder cipherSuites(int... suites) {
        cipherSuites = suites;
        return this;
    }

    ClientHelloBuilder serverName(String name) {
        return serverNameBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    ClientHelloBuilder serverNameBytes(byte[] name) {
        return extension(0x0000, vector16(concat(new byte[] {0}, vector16(name))));
    }

    ClientHelloBuilder alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String protocol : protocols) {
            list.writeBytes(vector8(protocol.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return extension(0x0010, vector16(list.toByteArray()));
    }

    ClientHelloBuilder supportedVersions(int... versions) {
        byte[] list = new byte[versions.length * 2];
        for (int i = 0; i < versions.length; i++) {
            list[2 * i] = (byte) (versions[i] >> 8);
            list[2 * i + 1] = (byte) versions[i];
        }
        return extension(0x002b, vector8(list));
    }

    ClientHelloBuilder encryptedClientHello() {
        return extension(0xfe0d, new byte[] {0, 0, 1, 0, 1, 7, 0, 0, 0, 0});
    }

    ClientHelloBuilder extension(int type, byte[] data) {
        extensions.add(concat(u16(type), vector16(data)));
        return this;
    }

    ClientHelloBuilder withoutExtensions() {
        omitExtensions = true;
        return this;
    }

    /** Bytes after the extensions but inside the handshake message. */
    ClientHelloBuilder trailing(byte[] bytes) {
        trailing = bytes;
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(u16(legacyVersion));
        body.writeBytes(new byte[32]);
        body.writeBytes(vector8(sessionId));
        byte[] suites = new byte[cipherSuites.length * 2];
        for (int i = 0; i < cipherSuites.length; i++) {
            suites[2 * i] = (byte) (cipherSuites[i] >> 8);
            suites[2 * i + 1] = (byte) cipherSuites[i];
        }
        body.writeBytes(vector16(suites));
        body.writeBytes(vector8(new byte[] {0}));
        if (!omitExtensions) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            extensions.forEach(all::writeBytes);
            body.writeBytes(vector16(all.toByteArray()));
        }
        body.writeBytes(trailing);
        return handshake(1, body.toByteArray());
    }

    static byte[] handshake(int type, byte[] body) {
        int n = body.length;
        return concat(new byte[] {(byte) type, (byte) (n >> 16), (byte) (n >> 8), (byte) n}, body);
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    static byte[] vector8(byte[] data) {
        return concat(new byte[] {(byte) data.length}, data);
    }

    static byte[] vector16(byte[] data) {
        return concat(u16(data.length), data);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

package io.tollgate.sni;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a complete ClientHello body (RFC 8446 section 4.1.2) with strict length checks: every vector must
 * fit in its parent and the extensions must end exactly where the message ends.
 */
final class ClientHelloDecoder {

    private static final int EXT_SERVER_NAME = 0x0000;
    private static final int EXT_ALPN = 0x0010;
    private static final int EXT_SUPPORTED_VERSIONS = 0x002b;
    private static final int EXT_ENCRYPTED_CLIENT_HELLO = 0xfe0d;
    private static final int HOST_NAME = 0;
    private static final int RANDOM_LENGTH = 32;
    private static final int MAX_SESSION_ID = 32;

    private final HandshakeReader in;
    private final int bodyLength;
    private final int end;

    private String serverName;
    private boolean sawServerName;
    private final List<String> alpn = new ArrayList<>(2);
    private boolean sawAlpn;
    private final List<Integer> versions = new ArrayList<>(4);
    private boolean sawVersions;
    private boolean ech;

    private ClientHelloDecoder(HandshakeReader in, int bodyLength) {
        this.in = in;
        this.bodyLength = bodyLength;
        this.end = in.consumed() + bodyLength;
    }

    /** @param in positioned at the first byte of the body, all {@code bodyLength} bytes readable */
    static ClientHello decode(HandshakeReader in, int bodyLength) {
        return new ClientHelloDecoder(in, bodyLength).decode();
    }

    private ClientHello decode() {
        require(2, end, "legacy_version");
        int legacyVersion = in.u16();
        require(RANDOM_LENGTH, end, "random");
        in.skip(RANDOM_LENGTH);

        int sessionId = lengthPrefixed(1, end, "legacy_session_id");
        if (sessionId > MAX_SESSION_ID) {
            throw InspectionFailure.tls("session id is " + sessionId + " bytes, more than " + MAX_SESSION_ID);
        }
        in.skip(sessionId);

        int cipherSuites = lengthPrefixed(2, end, "cipher_suites");
        if (cipherSuites == 0 || cipherSuites % 2 != 0) {
            throw InspectionFailure.tls("cipher_suites length " + cipherSuites + " is not a positive even number");
        }
        in.skip(cipherSuites);

        int compression = lengthPrefixed(1, end, "compression_methods");
        if (compression == 0) {
            throw InspectionFailure.tls("compression_methods is empty");
        }
        in.skip(compression);

        if (in.consumed() < end) {
            extensions();
        }
        return new ClientHello(serverName, alpn, ech, legacyVersion, versions, bodyLength);
    }

    private void extensions() {
        int length = lengthPrefixed(2, end, "extensions");
        if (in.consumed() + length != end) {
            throw InspectionFailure.tls((end - in.consumed() - length) + " trailing bytes after the extensions");
        }
        while (in.consumed() < end) {
            require(4, end, "extension header");
            int type = in.u16();
            int extensionLength = extensionLength(type);
            int extensionEnd = in.consumed() + extensionLength;
            switch (type) {
                case EXT_SERVER_NAME -> serverName(extensionEnd);
                case EXT_ALPN -> alpn(extensionEnd);
                case EXT_SUPPORTED_VERSIONS -> supportedVersions(extensionEnd);
                case EXT_ENCRYPTED_CLIENT_HELLO -> ech = true;
                default -> { }
            }
            // The parsers above are bounded by extensionEnd, so only unread bytes can remain.
            if (in.consumed() < extensionEnd) {
                if (type == EXT_SERVER_NAME || type == EXT_ALPN || type == EXT_SUPPORTED_VERSIONS) {
                    throw InspectionFailure.tls(extensionName(type) + " has trailing bytes");
                }
                in.skip(extensionEnd - in.consumed());
            }
        }
    }

    private void serverName(int extensionEnd) {
        sawServerName = once(sawServerName, "server_name");
        int listLength = lengthPrefixed(2, extensionEnd, "server_name list");
        int listEnd = in.consumed() + listLength;
        if (listLength == 0) {
            throw InspectionFailure.tls("server_name list is empty");
        }
        while (in.consumed() < listEnd) {
            require(1, listEnd, "server_name type");
            int nameType = in.u8();
            int nameLength = lengthPrefixed(2, listEnd, "server_name entry");
            if (nameType != HOST_NAME) {
                in.skip(nameLength);
                continue;
            }
            if (serverName != null) {
                throw InspectionFailure.tls("more than one host_name in server_name");
            }
            serverName = SniHostname.normalize(in.bytes(nameLength));
        }
    }

    private void alpn(int extensionEnd) {
        sawAlpn = once(sawAlpn, "application_layer_protocol_negotiation");
        int listLength = lengthPrefixed(2, extensionEnd, "ALPN protocol list");
        int listEnd = in.consumed() + listLength;
        if (listLength == 0) {
            throw InspectionFailure.tls("ALPN protocol list is empty");
        }
        while (in.consumed() < listEnd) {
            int nameLength = lengthPrefixed(1, listEnd, "ALPN protocol name");
            if (nameLength == 0) {
                throw InspectionFailure.tls("ALPN protocol name is empty");
            }
            byte[] name = in.bytes(nameLength);
            if (!Grease.isGreaseAlpn(name)) {
                alpn.add(new String(name, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private void supportedVersions(int extensionEnd) {
        sawVersions = once(sawVersions, "supported_versions");
        int length = lengthPrefixed(1, extensionEnd, "supported_versions list");
        if (length == 0 || length % 2 != 0) {
            throw InspectionFailure.tls("supported_versions length " + length + " is not a positive even number");
        }
        for (int i = 0; i < length; i += 2) {
            int version = in.u16();
            if (!Grease.isGrease(version)) {
                versions.add(version);
            }
        }
    }

    /** Two copies of an extension that names the destination could be read differently by us and the server. */
    private static boolean once(boolean seen, String extension) {
        if (seen) {
            throw InspectionFailure.tls("duplicate " + extension + " extension");
        }
        return true;
    }

    /**
     * Reads a {@code prefixBytes}-wide length and checks that the vector it announces fits before {@code parentEnd}.
     * Failure messages are built only on failure: this runs for every vector of every connection.
     */
    private int lengthPrefixed(int prefixBytes, int parentEnd, String what) {
        if (in.consumed() + prefixBytes > parentEnd) {
            throw overrun(what + " length");
        }
        int length = prefixBytes == 1 ? in.u8() : in.u16();
        require(length, parentEnd, what);
        return length;
    }

    /** The length of extension {@code type}, checked like {@link #lengthPrefixed} but named by its type code. */
    private int extensionLength(int type) {
        if (in.consumed() + 2 > end) {
            throw overrun(extensionName(type) + " length");
        }
        int length = in.u16();
        if (in.consumed() + length > end) {
            throw overrun(extensionName(type));
        }
        return length;
    }

    private static String extensionName(int type) {
        return "extension 0x%04x".formatted(type);
    }

    private void require(int bytes, int parentEnd, String what) {
        if (in.consumed() + bytes > parentEnd) {
            throw overrun(what);
        }
    }

    private static InspectionFailure overrun(String what) {
        return InspectionFailure.tls(what + " overruns its enclosing vector");
    }
}

package io.tollgate.sni;

import java.util.List;

/**
 * The facts a TLS ClientHello reveals without decryption.
 *
 * @param serverName           the SNI host_name, lower-cased without a trailing dot; null when absent
 * @param alpnProtocols        ALPN protocol names in the client's order, GREASE values removed
 * @param encryptedClientHello whether the ECH extension (0xfe0d) is present; serverName is then the outer (public) name
 * @param legacyVersion        the ClientHello's legacy_version field, e.g. 0x0303
 * @param supportedVersions    the supported_versions extension, GREASE values removed; empty when absent
 * @param handshakeLength      the handshake message's body length (its 24-bit length field)
 */
public record ClientHello(String serverName, List<String> alpnProtocols, boolean encryptedClientHello,
                          int legacyVersion, List<Integer> supportedVersions, int handshakeLength) {

    public ClientHello {
        alpnProtocols = List.copyOf(alpnProtocols);
        supportedVersions = List.copyOf(supportedVersions);
    }
}

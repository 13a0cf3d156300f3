package io.tollgate.testbed;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stand-in for GitHub's OIDC issuer in tests: a real RSA key pair, its JWKS document, and RS256 tokens with the
 * claims a test chooses, so verification runs real signatures end to end.
 */
public final class TestOidcIssuer {
    public static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

    private final String kid;
    private final KeyPair keys;

    private TestOidcIssuer(String kid, KeyPair keys) {
        this.kid = kid;
        this.keys = keys;
    }

    public static TestOidcIssuer create(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TestOidcIssuer(kid, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK generates RSA keys", e);
        }
    }

    /** The JWKS document with this issuer's public key. */
    public String jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + base64(unsigned(key.getModulus())) + "\",\"e\":\"" + base64(unsigned(key.getPublicExponent()))
                + "\"}]}";
    }

    /** A token with {@code claims} (strings and numbers), signed RS256 with this issuer's key. */
    public String token(Map<String, Object> claims) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String payload = claims.entrySet().stream()
                .map(claim -> "\"" + claim.getKey() + "\":" + (claim.getValue() instanceof Number n ? n.toString()
                        : "\"" + claim.getValue() + "\""))
                .collect(Collectors.joining(",", "{", "}"));
        String signed = base64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with a fresh RSA key failed", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

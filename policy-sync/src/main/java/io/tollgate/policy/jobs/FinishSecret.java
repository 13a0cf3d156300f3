package io.tollgate.policy.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The per-job secret that finishing a job needs: 256 random bits handed to the runner once, kept only as a SHA-256
 * digest, and checked in constant time ({@link MessageDigest#isEqual} over digests, so neither content nor length
 * of a guess leaks).
 */
public final class FinishSecret {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FinishSecret() {}

    /** A fresh secret in base64url without padding. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 digest that is stored in place of the secret. */
    public static String digest(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Whether {@code presented} is the secret whose digest is {@code storedDigest}. */
    public static boolean matches(String presented, String storedDigest) {
        return MessageDigest.isEqual(sha256(presented), HexFormat.of().parseHex(storedDigest));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

package io.tollgate.policy.sign;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Checks that policy text was signed by the holder of the configured Ed25519 key. */
public final class PolicyVerifier {
    private static final int SIGNATURE_BYTES = 64;

    private final Ed25519PublicKeyParameters key;

    private PolicyVerifier(Ed25519PublicKeyParameters key) {
        this.key = key;
    }

    public static PolicyVerifier fromPem(Path publicKeyFile) throws SigningException {
        return new PolicyVerifier(SigningKeys.readPublic(publicKeyFile));
    }

    /** Whether {@code signature} (base64) is a valid signature of {@code text}; false for malformed input. */
    public boolean verifies(String text, String signature) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != SIGNATURE_BYTES) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        verifier.update(bytes, 0, bytes.length);
        return verifier.verifySignature(raw);
    }

    /** A short fingerprint of the key (SHA-256 of its raw bytes, 16 hex characters) for logs and listings. */
    public String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}

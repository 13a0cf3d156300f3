package io.tollgate.policy.sign;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Signs policy document text (its exact UTF-8 bytes) with an operator's Ed25519 key. */
public final class PolicySigner {
    private final Ed25519PrivateKeyParameters key;

    private PolicySigner(Ed25519PrivateKeyParameters key) {
        this.key = key;
    }

    public static PolicySigner fromPem(Path privateKeyFile) throws SigningException {
        return new PolicySigner(SigningKeys.readPrivate(privateKeyFile));
    }

    /** The base64 signature of {@code text}. */
    public String sign(String text) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return Base64.getEncoder().encodeToString(signer.generateSignature());
    }
}

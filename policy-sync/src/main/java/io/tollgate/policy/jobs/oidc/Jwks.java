package io.tollgate.policy.jobs.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An issuer's signing keys (a JSON Web Key Set): its RSA keys by key id. Immutable. */
public final class Jwks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RSAPublicKey> byKeyId;

    private Jwks(Map<String, RSAPublicKey> byKeyId) {
        this.byKeyId = Map.copyOf(byKeyId);
    }

    /** Parses a JWKS document; keys other than RSA signing keys are skipped, a malformed RSA key is an error. */
    public static Jwks parse(String json) throws OidcException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new OidcException("the key set is not JSON: " + e.getMessage());
        }
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new OidcException("the key set has no \"keys\" list");
        }
        Map<String, RSAPublicKey> byKeyId = new HashMap<>();
        for (JsonNode key : keys) {
            if (!"RSA".equals(key.path("kty").asText()) || "enc".equals(key.path("use").asText())) {
                continue;
            }
            String kid = key.path("kid").asText("");
            if (kid.isEmpty()) {
                throw new OidcException("an RSA key of the key set has no kid");
            }
            byKeyId.put(kid, rsa(kid, key.path("n").asText(""), key.path("e").asText("")));
        }
        if (byKeyId.isEmpty()) {
            throw new OidcException("the key set holds no RSA signing key");
        }
        return new Jwks(byKeyId);
    }

    public Optional<RSAPublicKey> key(String kid) {
        return Optional.ofNullable(byKeyId.get(kid));
    }

    public int size() {
        return byKeyId.size();
    }

    private static RSAPublicKey rsa(String kid, String n, String e) throws OidcException {
        try {
            Base64.Decoder url = Base64.getUrlDecoder();
            RSAPublicKeySpec spec = new RSAPublicKeySpec(new BigInteger(1, url.decode(n)),
                    new BigInteger(1, url.decode(e)));
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (IllegalArgumentException | GeneralSecurityException ex) {
            throw new OidcException("key '" + kid + "' of the key set is not a valid RSA key: " + ex.getMessage());
        }
    }
}

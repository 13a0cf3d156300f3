package io.tollgate.policy.jobs.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.policy.jobs.JobRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a GitHub Actions OIDC token against a job registration: an RS256 signature by a key of the issuer's key set,
 * the issuer, the audience, the validity window (one minute of clock skew), and that the token's {@code repository},
 * {@code workflow}, {@code run_id} and {@code run_attempt} claims are the registration's. A job can only obtain a
 * token for itself, so a registration with a verified token cannot claim another repository's policy.
 */
public final class OidcVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final String issuer;
    private final String audience;
    private final Function<String, Optional<RSAPublicKey>> keys;
    private final Clock clock;

    /** {@code keys} finds the issuer's key for a key id (a {@link JwksSource} refreshes on an unknown one). */
    public OidcVerifier(String issuer, String audience, Function<String, Optional<RSAPublicKey>> keys,
            Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.keys = keys;
        this.clock = clock;
    }

    public void verify(String token, JobRequest request) throws OidcException {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new OidcException("the id_token is not a signed JWT (header.payload.signature)");
        }
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "payload");
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new OidcException("the id_token is signed with '" + header.path("alg").asText()
                    + "'; only RS256 is accepted");
        }
        String kid = header.path("kid").asText("");
        RSAPublicKey key = keys.apply(kid).orElseThrow(() -> new OidcException("the id_token's key '" + kid
                + "' is not in the issuer's key set"));
        if (!signatureHolds(key, parts)) {
            throw new OidcException("the id_token's signature does not verify");
        }
        require(issuer.equals(claims.path("iss").asText()), "the id_token was issued by '" + claims.path("iss").asText()
                + "', not " + issuer);
        require(audienceMatches(claims.path("aud")), "the id_token is for audience " + claims.path("aud")
                + ", not '" + audience + "'");
        Instant now = clock.instant();
        require(claims.has("exp") && now.isBefore(Instant.ofEpochSecond(claims.path("exp").asLong()).plus(SKEW)),
                "the id_token has expired");
        require(!claims.has("nbf") || !now.isBefore(Instant.ofEpochSecond(claims.path("nbf").asLong()).minus(SKEW)),
                "the id_token is not valid yet");
        require(claims.path("repository").asText().toLowerCase(Locale.ROOT)
                        .equals(request.repo().toLowerCase(Locale.ROOT)),
                "the id_token is for repository '" + claims.path("repository").asText() + "', not " + request.repo());
        require(claims.path("workflow").asText().equals(request.workflow()),
                "the id_token is for workflow '" + claims.path("workflow").asText() + "', not " + request.workflow());
        require(claims.path("run_id").asText().equals(request.runId()),
                "the id_token is for run " + claims.path("run_id").asText() + ", not " + request.runId());
        require(claims.path("run_attempt").asText().equals(Integer.toString(request.runAttempt())),
                "the id_token is for run attempt " + claims.path("run_attempt").asText() + ", not "
                        + request.runAttempt());
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (audience.equals(one.asText())) {
                    return true;
                }
            }
            return false;
        }
        return audience.equals(aud.asText());
    }

    private static boolean signatureHolds(RSAPublicKey key, String[] parts) throws OidcException {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new OidcException("the id_token's signature is not base64url");
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static JsonNode json(String part, String what) throws OidcException {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new OidcException("the id_token's " + what + " is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException | IOException e) {
            throw new OidcException("the id_token's " + what + " is not base64url JSON");
        }
    }

    private static void require(boolean holds, String otherwise) throws OidcException {
        if (!holds) {
            throw new OidcException(otherwise);
        }
    }
}

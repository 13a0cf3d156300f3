package io.tollgate.gateway.api;

import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's bearer tokens. Only SHA-256 digests of the secrets are kept, and a presented token is compared with every
 * one of them in constant time, so neither its content nor its length can be learned from response times.
 */
public final class ApiTokens {
    private record Entry(ApiToken token, byte[] digest) {}

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = entries;
    }

    /** Reads each token's secret from its file (surrounding whitespace trimmed). */
    public static ApiTokens load(List<ApiToken> tokens) throws ApiStartException {
        List<Entry> entries = new ArrayList<>();
        for (ApiToken token : tokens) {
            Entry entry = new Entry(token, sha256(secret(token)));
            for (Entry other : entries) {
                if (MessageDigest.isEqual(other.digest(), entry.digest())) {
                    throw new ApiStartException("API tokens '" + other.token().name() + "' and '" + token.name()
                            + "' have the same secret (" + other.token().tokenFile() + ", " + token.tokenFile()
                            + "); give each token its own", null);
                }
            }
            entries.add(entry);
        }
        return new ApiTokens(List.copyOf(entries));
    }

    /** The token whose secret was presented, if any. */
    public Optional<ApiToken> authenticate(String presented) {
        byte[] digest = sha256(presented);
        ApiToken match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                match = entry.token();
            }
        }
        return Optional.ofNullable(match);
    }

    private static String secret(ApiToken token) throws ApiStartException {
        String where = "API token '" + token.name() + "': token file " + token.tokenFile();
        String secret;
        try {
            secret = Files.readString(token.tokenFile()).strip();
        } catch (NoSuchFileException e) {
            throw new ApiStartException(where + " does not exist", e);
        } catch (IOException e) {
            throw new ApiStartException(where + " cannot be read: " + e, e);
        }
        if (secret.isEmpty()) {
            throw new ApiStartException(where + " is empty; write the secret into it", null);
        }
        return secret;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

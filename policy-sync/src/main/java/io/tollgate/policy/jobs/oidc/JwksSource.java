package io.tollgate.policy.jobs.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the issuer's keys come from: a file the operator keeps current, or the issuer's JWKS URL. Read at start (a
 * node never starts without keys), and read again when a token names an unknown key (issuers rotate keys), at most
 * once a minute so a stream of bogus key ids cannot make the node hammer the issuer.
 */
public final class JwksSource {
    private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);
    private static final Duration REFRESH_AT_MOST_EVERY = Duration.ofMinutes(1);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final String origin;
    private final Callable<String> read;
    private final Clock clock;
    private volatile Jwks keys;
    private Instant lastRead;

    private JwksSource(String origin, Callable<String> read, Clock clock) throws OidcException {
        this.origin = origin;
        this.read = read;
        this.clock = clock;
        this.keys = load();
        this.lastRead = clock.instant();
    }

    public static JwksSource file(Path file, Clock clock) throws OidcException {
        return new JwksSource(file.toString(), () -> Files.readString(file), clock);
    }

    public static JwksSource url(URI url, Clock clock) throws OidcException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
        return new JwksSource(url.toString(), () -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            return response.body();
        }, clock);
    }

    /** The key with id {@code kid}, reading the key set again (rate-limited) when it is unknown. */
    public Optional<RSAPublicKey> key(String kid) {
        Optional<RSAPublicKey> key = keys.key(kid);
        if (key.isPresent()) {
            return key;
        }
        synchronized (this) {
            if (clock.instant().isBefore(lastRead.plus(REFRESH_AT_MOST_EVERY))) {
                return keys.key(kid);
            }
            lastRead = clock.instant();
            try {
                keys = load();
            } catch (OidcException e) {
                LOG.warn("could not read the OIDC key set again from {}: {}; the keys read before stay in use",
                        origin, e.getMessage());
            }
            return keys.key(kid);
        }
    }

    private Jwks load() throws OidcException {
        String text;
        try {
            text = read.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException("interrupted while reading the OIDC key set from " + origin);
        } catch (Exception e) {
            throw new OidcException("cannot read the OIDC key set from " + origin + ": " + e);
        }
        try {
            return Jwks.parse(text);
        } catch (OidcException e) {
            throw new OidcException(origin + ": " + e.getMessage());
        }
    }
}

package io.tollgate.policy.jobs.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.policy.jobs.JobRequest;
import io.tollgate.testbed.TestOidcIssuer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JobRequest JOB = new JobRequest(InetAddresses.forString("10.10.0.2"), "Acme/Widgets", "CI",
            "build", "4242", 2, "runner-1");
    private static final TestOidcIssuer GITHUB = TestOidcIssuer.create("key-1");

    @TempDir
    Path dir;

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", TestOidcIssuer.GITHUB_ISSUER);
        claims.put("aud", "tollgate");
        claims.put("repository", "acme/widgets");
        claims.put("workflow", "CI");
        claims.put("run_id", "4242");
        claims.put("run_attempt", "2");
        claims.put("exp", NOW.plusSeconds(300).getEpochSecond());
        claims.put("nbf", NOW.minusSeconds(10).getEpochSecond());
        return claims;
    }

    private OidcVerifier verifier(JwksSource keys) {
        return new OidcVerifier(TestOidcIssuer.GITHUB_ISSUER, "tollgate", keys::key, CLOCK);
    }

    private OidcVerifier verifier() throws Exception {
        return verifier(JwksSource.file(Files.writeString(dir.resolve("jwks.json"), GITHUB.jwks()), CLOCK));
    }

    private String rejection(String token) throws Exception {
        try {
            verifier().verify(token, JOB);
        } catch (OidcException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    private static String with(String claim, Object value) {
        Map<String, Object> claims = claims();
        claims.put(claim, value);
        return GITHUB.token(claims);
    }

    @Test
    void acceptsTheJobsOwnToken() throws Exception {
        verifier().verify(GITHUB.token(claims()), JOB);
    }

    @Test
    void refusesATokenOfAnotherRunOrRepository() throws Exception {
        assertThat(rejection(with("repository", "acme/other")))
                .isEqualTo("the id_token is for repository 'acme/other', not Acme/Widgets");
        assertThat(rejection(with("workflow", "Release"))).contains("workflow 'Release', not CI");
        assertThat(rejection(with("run_id", "1"))).contains("for run 1, not 4242");
        assertThat(rejection(with("run_attempt", "1"))).contains("run attempt 1, not 2");
    }

    @Test
    void refusesForgedExpiredOrForeignTokens() throws Exception {
        assertThat(rejection(with("exp", NOW.minusSeconds(120).getEpochSecond()))).isEqualTo("the id_token has expired");
        assertThat(rejection(with("nbf", NOW.plusSeconds(120).getEpochSecond()))).contains("not valid yet");
        assertThat(rejection(with("aud", "someone-else"))).contains("not 'tollgate'");
        assertThat(rejection(with("iss", "https://evil.example"))).contains("issued by 'https://evil.example'");
        assertThat(rejection(TestOidcIssuer.create("key-1").token(claims())))
                .isEqualTo("the id_token's signature does not verify");
        assertThat(rejection(TestOidcIssuer.create("key-9").token(claims()))).contains("key 'key-9' is not in");
        String token = GITHUB.token(claims());
        String unsigned = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + token.substring(
                token.indexOf('.'), token.lastIndexOf('.') + 1);
        assertThat(rejection(unsigned)).contains("only RS256 is accepted");
        assertThat(rejection("not-a-jwt")).contains("not a signed JWT");
    }

    @Test
    void aRotatedKeyIsFetchedFromTheIssuersUrl() throws Exception {
        TestOidcIssuer rotated = TestOidcIssuer.create("key-2");
        AtomicReference<String> served = new AtomicReference<>(GITHUB.jwks());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks", exchange -> {
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            AtomicReference<Instant> now = new AtomicReference<>(NOW);
            Clock moving = new Clock() {
                @Override public ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(ZoneId zone) { return this; }
                @Override public Instant instant() { return now.get(); }
            };
            JwksSource keys = JwksSource.url(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/.well-known/jwks"), moving);
            OidcVerifier verifier = new OidcVerifier(TestOidcIssuer.GITHUB_ISSUER, "tollgate", keys::key, CLOCK);
            served.set(rotated.jwks());
            now.set(NOW.plusSeconds(61));
            verifier.verify(rotated.token(claims()), JOB);
            assertThatThrownBy(() -> verifier.verify(TestOidcIssuer.create("key-3").token(claims()), JOB))
                    .hasMessageContaining("key 'key-3' is not in");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aKeySetThatCannotBeReadIsAnErrorAtStart() throws Exception {
        assertThatThrownBy(() -> JwksSource.file(dir.resolve("missing.json"), CLOCK))
                .hasMessageContaining("cannot read the OIDC key set from " + dir.resolve("missing.json"));
        assertThatThrownBy(() -> JwksSource.file(Files.writeString(dir.resolve("empty.json"), "{\"keys\":[]}"), CLOCK))
                .hasMessageContaining("holds no RSA signing key");
    }
}

package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.policy.sign.PolicySigner;
import io.tollgate.policy.sign.PolicyVerifier;
import io.tollgate.policy.sign.SigningKeys;
import io.tollgate.policy.store.PolicyStore;
import io.tollgate.testbed.FreePort;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/policies} on loopback, with a signing key configured, against a real single-member cluster. */
class PoliciesApiTest {
    private static final String ADMIN = "admin-secret";
    private static final String READER = "reader-secret";
    private static final String DOC = """
            name: widgets
            scope: {repo: acme/widgets}
            allowed-endpoints: |
              github.com:443
            """;

    @TempDir
    static Path dir;
    private static ClusterMember cluster;
    private static ApiServer server;
    private static PolicySigner signer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        SigningKeys.generate(dir.resolve("fleet.key"), dir.resolve("fleet.pub"));
        signer = PolicySigner.fromPem(dir.resolve("fleet.key"));
        List<ApiToken> tokens = List.of(
                new ApiToken("security-team", ApiRole.ADMIN, Files.writeString(dir.resolve("admin"), ADMIN)),
                new ApiToken("ops", ApiRole.READER, Files.writeString(dir.resolve("ops"), READER)));
        PolicyStore store = new PolicyStore(cluster.hazelcast(), new PolicyDocumentParser(EndpointSets.defaults()),
                Optional.of(PolicyVerifier.fromPem(dir.resolve("fleet.pub"))), Clock.systemUTC());
        JobsEndpoint jobs = new JobsEndpoint(ApiTokens.load(tokens),
                new JobRegistry(cluster.hazelcast(), Duration.ofHours(1), Clock.systemUTC()), () -> null);
        server = ApiServer.start(new Api(InetAddress.getByName("127.0.0.1"), List.of(), tokens, null), 0,
                new ApiRoutes(ApiTokens.load(tokens), new Readiness(), new GatewayMetrics(),
                        List.of(jobs, new PoliciesEndpoint(ApiTokens.load(tokens), store))),
                new RunnerRoutes(jobs, AttributionApiTest.endpoint(ApiTokens.load(tokens), cluster.hazelcast())));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bundle(String document, String signature) {
        return new JsonObject().put("document", document).put("signature", signature).encode();
    }

    @Test
    void anAdminPushesSignedPolicyAndEveryoneWithAReaderTokenSeesItsHistory() throws Exception {
        HttpResponse<String> put = send(ADMIN, "PUT", "/v1/policies/widgets", bundle(DOC, signer.sign(DOC)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonObject stored = new JsonObject(put.body());
        assertThat(stored.getInteger("version")).isEqualTo(1);
        assertThat(stored.getString("author")).isEqualTo("security-team");
        assertThat(stored.getBoolean("signed")).isTrue();

        String v2 = DOC + "  pypi.org:443\n";
        assertThat(send(ADMIN, "PUT", "/v1/policies/widgets", bundle(v2, signer.sign(v2))).statusCode())
                .isEqualTo(200);
        JsonObject current = new JsonObject(send(READER, "GET", "/v1/policies/widgets", null).body());
        assertThat(current.getString("document")).isEqualTo(v2);
        assertThat(current.getInteger("version")).isEqualTo(2);
        JsonObject history = new JsonObject(send(READER, "GET", "/v1/policies/widgets/history", null).body());
        assertThat(history.getJsonArray("revisions").getJsonObject(1).getJsonArray("changes").getList())
                .containsExactly("+ pypi.org:443");

        HttpResponse<String> back = send(ADMIN, "POST", "/v1/policies/widgets/rollback", "{\"version\": 1}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(new JsonObject(send(READER, "GET", "/v1/policies/widgets", null).body()).getString("document"))
                .isEqualTo(DOC);
        assertThat(new JsonObject(send(READER, "GET", "/v1/policies/widgets/versions/2", null).body())
                .getString("document")).isEqualTo(v2);
        assertThat(send(READER, "GET", "/v1/policies", null).body()).contains("\"name\":\"widgets\"");
    }

    @Test
    void refusesWithAClearStatusAndReason() throws Exception {
        String bad = DOC.replace("github.com:443", "*.com:443").replace("widgets", "bad");
        HttpResponse<String> invalid = send(ADMIN, "PUT", "/v1/policies/bad", bundle(bad, signer.sign(bad)));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("allowed-endpoints line 4: '*.com:443'");

        String other = DOC.replace("widgets", "other").replace("acme/other", "acme/other");
        HttpResponse<String> unsigned = send(ADMIN, "PUT", "/v1/policies/other", bundle(other, null));
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("is not signed");
        HttpResponse<String> forged = send(ADMIN, "PUT", "/v1/policies/other",
                bundle(other, signer.sign(other + "\n")));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("does not verify");

        assertThat(send(READER, "PUT", "/v1/policies/other", bundle(other, signer.sign(other))).statusCode())
                .isEqualTo(403);
        assertThat(send(null, "GET", "/v1/policies", null).statusCode()).isEqualTo(401);
        assertThat(send("wrong", "DELETE", "/v1/policies/widgets", null).statusCode()).isEqualTo(401);
        assertThat(send(READER, "GET", "/v1/policies/nothing", null).statusCode()).isEqualTo(404);
        assertThat(send(ADMIN, "POST", "/v1/policies/nothing/rollback", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aDryRunValidatesWithoutStoring() throws Exception {
        String doc = DOC.replace("widgets", "dry");
        HttpResponse<String> dry = send(ADMIN, "PUT", "/v1/policies/dry?dry-run=true", bundle(doc, signer.sign(doc)));
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        assertThat(dry.body()).contains("\"valid\":true");
        assertThat(send(READER, "GET", "/v1/policies/dry", null).statusCode()).isEqualTo(404);
    }
}

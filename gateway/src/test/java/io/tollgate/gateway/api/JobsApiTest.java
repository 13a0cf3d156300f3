package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.testbed.FreePort;
import io.tollgate.policy.scope.EffectivePolicies;
import io.tollgate.policy.scope.ScopedPolicies;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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

/**
 * The job registration rules of {@code /v1/jobs} on loopback: each test's client speaks from its own 127.0.0.x
 * address, the runner-facing listener is 127.0.0.2.
 */
class JobsApiTest {
    private static final String REGISTRAR = "registrar-secret";
    private static final String READER = "reader-secret";
    private static final InetAddress RUNNER_FACING = address("127.0.0.2");

    @TempDir
    static Path dir;
    private static ClusterMember cluster;
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        List<ApiToken> tokens = List.of(
                new ApiToken("hooks", ApiRole.REGISTRAR, Files.writeString(dir.resolve("hooks"), REGISTRAR)),
                new ApiToken("ops", ApiRole.READER, Files.writeString(dir.resolve("ops"), READER)));
        PolicyTable policies = PolicyTable.of(List.of(new PolicyCompiler(EndpointSets.defaults())
                .compile(new PolicySpec("ci", List.of("127.0.0.0/8"), "block", "github.com:443", List.of()))));
        JobsEndpoint jobs = new JobsEndpoint(ApiTokens.load(tokens),
                new JobRegistry(cluster.hazelcast(), Duration.ofHours(1), Clock.systemUTC()),
                () -> new EffectivePolicies(ScopedPolicies.none(), policies, ip -> Optional.empty()));
        server = ApiServer.start(new Api(address("127.0.0.1"), List.of(RUNNER_FACING), tokens, null), 0,
                new ApiRoutes(ApiTokens.load(tokens), new Readiness(), new GatewayMetrics(), List.of(jobs)),
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

    @Test
    void aRunnerRegistersItselfGetsAnIdAndASecretAndOperatorsSeeTheJobWithItsPolicy() throws Exception {
        HttpResponse<String> r = register("127.0.0.11", body("127.0.0.11"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject created = new JsonObject(r.body());
        assertThat(created.getString("id")).isNotBlank();
        assertThat(created.getString("finish_secret")).hasSize(43);

        HttpResponse<String> list = send("127.0.0.1", READER, HttpRequest.newBuilder(uri("127.0.0.1", ""))
                .GET());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonObject job = new JsonObject(list.body()).getJsonArray("jobs").stream().map(JsonObject.class::cast)
                .filter(j -> j.getString("ip").equals("127.0.0.11")).findFirst().orElseThrow();
        assertThat(job.getString("id")).isEqualTo(created.getString("id"));
        assertThat(job.getString("repo")).isEqualTo("octo-org/app");
        assertThat(job.getString("run_id")).isEqualTo("9876");
        assertThat(job.getInteger("run_attempt")).isEqualTo(2);
        assertThat(job.getJsonObject("policy").getString("name")).isEqualTo("ci");
        assertThat(list.body()).doesNotContain(created.getString("finish_secret")).doesNotContain("sha256");
    }

    @Test
    void aRegistrationForAnotherAddressThanTheRequestsSourceIsRefused() throws Exception {
        HttpResponse<String> r = register("127.0.0.12", body("127.0.0.13"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("only by its own runner").contains("127.0.0.12").contains("127.0.0.13");
    }

    @Test
    void anAddressHoldingALiveJobCannotBeRegisteredAgain() throws Exception {
        assertThat(register("127.0.0.14", body("127.0.0.14")).statusCode()).isEqualTo(201);
        HttpResponse<String> again = register("127.0.0.14", body("127.0.0.14"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("127.0.0.14 already holds live job");
    }

    @Test
    void badBodiesAre400WithTheReason() throws Exception {
        String ip = "127.0.0.15";
        assertThat(register(ip, "{not json").body()).contains("not a JSON object");
        assertThat(register(ip, "[1,2]").statusCode()).isEqualTo(400);
        assertThat(register(ip, body(ip).replace("\"repo\":\"octo-org/app\",", "")).body())
                .contains("repo is missing");
        assertThat(register(ip, body(ip).replace("\"run_id\":\"9876\"", "\"run_id\":\"x1\"")).body())
                .contains("run_id: 'x1'");
        assertThat(register(ip, body(ip).replace("\"run_attempt\":2", "\"run_attempt\":\"two\"")).body())
                .contains("run_attempt: 'two'");
        assertThat(register(ip, body(ip).replace("{", "{\"policy\":\"allow-all\",")).body())
                .contains("unknown field 'policy'");
        assertThat(register(ip, "{\"ip\":\"" + ip + "\",\"pad\":\"" + "x".repeat(5000) + "\"}").statusCode())
                .isEqualTo(413);
        HttpResponse<String> missing = register(ip, "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("ip is missing");
    }

    @Test
    void finishingNeedsTheJobsSecret() throws Exception {
        String ip = "127.0.0.16";
        String secret = new JsonObject(register(ip, body(ip)).body()).getString("finish_secret");

        assertThat(finish(ip, null).statusCode()).isEqualTo(400);
        assertThat(finish(ip, secret.substring(1)).statusCode()).isEqualTo(403);
        assertThat(finish(ip, secret + "A").statusCode()).isEqualTo(403);
        assertThat(finish(ip, secret).statusCode()).isEqualTo(204);
        assertThat(finish(ip, secret).statusCode()).isEqualTo(404);
        assertThat(register(ip, body(ip)).statusCode()).as("the address is free again").isEqualTo(201);
    }

    @Test
    void registeringNeedsTheRegistrarRoleAndListingTheReaderRole() throws Exception {
        String ip = "127.0.0.17";
        assertThat(send(ip, READER, post(body(ip))).statusCode()).isEqualTo(403);
        assertThat(send(ip, null, post(body(ip))).statusCode()).isEqualTo(401);
        assertThat(send(ip, REGISTRAR, HttpRequest.newBuilder(uri("127.0.0.1", "")).GET()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theRunnerFacingAddressServesJobStartAndFinishOnly() throws Exception {
        String ip = "127.0.0.18";
        HttpResponse<String> r = send(ip, REGISTRAR, HttpRequest.newBuilder(uri("127.0.0.2", ""))
                .POST(HttpRequest.BodyPublishers.ofString(body(ip))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String secret = new JsonObject(r.body()).getString("finish_secret");

        assertThat(send(ip, READER, HttpRequest.newBuilder(uri("127.0.0.2", "")).GET()).statusCode())
                .isEqualTo(405);
        HttpResponse<String> metrics = send(ip, READER,
                HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + server.port() + "/metrics")));
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(send(ip, REGISTRAR, HttpRequest.newBuilder(uri("127.0.0.2", "/" + ip)).DELETE()
                .header(JobsEndpoint.FINISH_SECRET_HEADER, secret)).statusCode()).isEqualTo(204);
    }

    private static String body(String ip) {
        return new JsonObject().put("ip", ip).put("repo", "octo-org/app").put("workflow", "CI").put("job", "build")
                .put("run_id", "9876").put("run_attempt", 2).put("runner_name", "runner-7").encode();
    }

    private static HttpResponse<String> register(String source, String json) throws Exception {
        return send(source, REGISTRAR, post(json));
    }

    private static HttpRequest.Builder post(String json) {
        return HttpRequest.newBuilder(uri("127.0.0.1", "")).POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpResponse<String> finish(String ip, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("127.0.0.1", "/" + ip)).DELETE();
        if (secret != null) {
            request.header(JobsEndpoint.FINISH_SECRET_HEADER, secret);
        }
        return send(ip, REGISTRAR, request);
    }

    /** Sends {@code request} from the local address {@code source}. */
    private static HttpResponse<String> send(String source, String token, HttpRequest.Builder request)
            throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient client = HttpClient.newBuilder().localAddress(address(source)).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static URI uri(String host, String rest) {
        return URI.create("http://" + host + ":" + server.port() + JobsEndpoint.PATH + rest);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

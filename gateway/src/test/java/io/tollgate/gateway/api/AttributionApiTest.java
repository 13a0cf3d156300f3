package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.tollgate.gateway.attribution.AttributedProcess;
import io.tollgate.gateway.attribution.AttributionStore;
import io.tollgate.gateway.attribution.HttpsEvents;
import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.policy.jobs.JobRequest;
import io.tollgate.policy.jobs.JobView;
import io.tollgate.testbed.FreePort;
import io.vertx.core.json.JsonArray;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/attribution} on the runner-facing address, over loopback with a real cluster member. */
class AttributionApiTest {
    private static final String AGENT = "agent-secret";
    private static final String REGISTRAR = "registrar-secret";
    private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;
    private static ClusterMember cluster;
    private static ApiServer server;

    /** An endpoint for API tests that do not look at attribution. */
    static AttributionEndpoint endpoint(ApiTokens tokens, HazelcastInstance hazelcast) {
        return new AttributionEndpoint(tokens, new AttributionStore(hazelcast, Duration.ofMinutes(2)),
                new HttpsEvents("test", JobView.follow(hazelcast), event -> { }, Clock.systemUTC()));
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        List<ApiToken> tokens = List.of(
                new ApiToken("runner-agent", ApiRole.AGENT, Files.writeString(dir.resolve("agent"), AGENT)),
                new ApiToken("hooks", ApiRole.REGISTRAR, Files.writeString(dir.resolve("hooks"), REGISTRAR)));
        JobRegistry registry = new JobRegistry(cluster.hazelcast(), Duration.ofHours(1), Clock.systemUTC());
        registry.register(new JobRequest(InetAddress.getByName("127.0.0.31"), "octo-org/app", "CI", "build", "1", 1,
                "runner-1"));
        AttributionEndpoint attribution = new AttributionEndpoint(ApiTokens.load(tokens),
                new AttributionStore(cluster.hazelcast(), Duration.ofMinutes(2)),
                new HttpsEvents("node-a", JobView.follow(cluster.hazelcast()), EVENTS::add, Clock.systemUTC()));
        JobsEndpoint jobs = new JobsEndpoint(ApiTokens.load(tokens), registry, () -> null);
        server = ApiServer.start(new Api(InetAddress.getByName("127.0.0.1"), List.of(InetAddress.getByName("127.0.0.2")),
                tokens, null), 0, new ApiRoutes(ApiTokens.load(tokens), new Readiness(), new GatewayMetrics(), List.of(jobs)),
                new RunnerRoutes(jobs, attribution));
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
    void anAgentsOwnConnectionsAreStoredAndItsHttpsRequestsBecomeEvents() throws Exception {
        String runner = "127.0.0.31";
        JsonObject batch = new JsonObject()
                .put("connections", new JsonArray().add(connection(runner, 40001)))
                .put("https", new JsonArray()
                        .add(https(runner, 40001, "POST", "api.github.com", "/repos/hacker-org/x/issues"))
                        .add(https(runner, 40002, "POST", "api.github.com", "/repos/octo-org/app/issues")));

        HttpResponse<String> r = send(runner, AGENT, batch.encode());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        AttributedProcess stored = cluster.hazelcast().<String, AttributedProcess>getMap(AttributionStore.MAP)
                .get("tcp 127.0.0.31 40001 10.20.0.9 443");
        assertThat(stored).isEqualTo(new AttributedProcess(4242, 4200, "/usr/bin/curl",
                List.of("curl", "https://api.github.com"), "bash -e step.sh"));
        assertThat(EVENTS.stream().filter(e -> runner.equals(e.src())).count())
                .as("https events are recorded before the reply").isEqualTo(2);
        Event foreign = EVENTS.stream().filter(e -> e.http().path().contains("hacker-org")).findFirst().orElseThrow();
        assertThat(foreign.kind()).isEqualTo("https");
        assertThat(foreign.verdict()).isEqualTo("detect");
        assertThat(foreign.reason()).isEqualTo("https-foreign-org");
        assertThat(foreign.job().repo()).isEqualTo("octo-org/app");
        assertThat(foreign.dst()).isEqualTo("10.20.0.9:443");
        assertThat(foreign.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(foreign.detail()).contains("hacker-org").contains("octo-org");
        Event own = EVENTS.stream().filter(e -> e.http().path().contains("octo-org")).findFirst().orElseThrow();
        assertThat(own.verdict()).isEqualTo("allow");
        assertThat(own.reason()).isEqualTo("observed");
    }

    @Test
    void aBatchNamingAnotherRunnersSourceIsRefusedWhole() throws Exception {
        JsonObject batch = new JsonObject().put("connections", new JsonArray()
                .add(connection("127.0.0.32", 40010))
                .add(connection("127.0.0.33", 40011)));

        HttpResponse<String> r = send("127.0.0.32", AGENT, batch.encode());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("connections[1] names source 127.0.0.33")
                .contains("this agent connects from 127.0.0.32");
        assertThat(cluster.hazelcast().getMap(AttributionStore.MAP).get("tcp 127.0.0.32 40010 10.20.0.9 443")).isNull();
    }

    @Test
    void onlyTheAgentRoleMaySendBatchesAndBadOnesAreRefusedWithTheReason() throws Exception {
        String ok = new JsonObject().put("connections", new JsonArray().add(connection("127.0.0.34", 1))).encode();
        assertThat(send("127.0.0.34", REGISTRAR, ok).statusCode()).isEqualTo(403);
        assertThat(send("127.0.0.34", null, ok).statusCode()).isEqualTo(401);
        assertThat(send("127.0.0.34", AGENT, "{nope").body()).contains("not a JSON object");
        HttpResponse<String> noPid = send("127.0.0.34", AGENT, ok.replace("\"pid\":4242,", ""));
        assertThat(noPid.statusCode()).isEqualTo(400);
        assertThat(noPid.body()).contains("connections[0].process.pid");
    }

    private static JsonObject connection(String src, int sport) {
        return new JsonObject().put("proto", "tcp").put("src", src).put("sport", sport).put("dst", "10.20.0.9")
                .put("dport", 443).put("process", process());
    }

    private static JsonObject https(String src, int sport, String method, String host, String path) {
        return new JsonObject().put("src", src).put("sport", sport).put("dst", "10.20.0.9").put("dport", 443)
                .put("method", method).put("host", host).put("path", path).put("process", process());
    }

    private static JsonObject process() {
        return new JsonObject().put("pid", 4242).put("ppid", 4200).put("exe", "/usr/bin/curl")
                .put("args", new JsonArray().add("curl").add("https://api.github.com")).put("step", "bash -e step.sh");
    }

    private static HttpResponse<String> send(String source, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.2:" + server.port() + AttributionEndpoint.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(source)).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

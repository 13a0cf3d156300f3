package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.ringbuffer.Ringbuffer;
import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.events.ClusterEventSink;
import io.tollgate.gateway.events.ClusterEventStream;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.testbed.FreePort;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/events} against a real Hazelcast member and the real API server on loopback: the stream's events are
 * appended through the node's {@link ClusterEventSink}, as the data path does. The clock stands at {@link #NOW}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventsApiTest {
    private static final String READER = "events-reader-secret";
    private static final String REGISTRAR = "events-registrar-secret";
    private static final int CAPACITY = 200;
    private static final Instant NOW = Instant.parse("2026-11-23T14:00:00Z");
    /** The time of the events the follow test adds: before every other, so the other tests' filters skip them. */
    private static final String EARLIER = "2026-11-23T12:00:00.000000Z";
    private static final InetAddress RUNNER_FACING = address("127.0.0.2");

    @TempDir
    static Path dir;
    private static ClusterMember cluster;
    private static Ringbuffer<String> stream;
    private static ClusterEventSink sink;
    private static ApiServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        stream = ClusterEventStream.open(cluster.hazelcast(), CAPACITY);
        sink = new ClusterEventSink(stream);
        List<ApiToken> tokens = List.of(
                new ApiToken("ops", ApiRole.READER, Files.writeString(dir.resolve("ops"), READER)),
                new ApiToken("hooks", ApiRole.REGISTRAR, Files.writeString(dir.resolve("hooks"), REGISTRAR)));
        JobsEndpoint jobs = new JobsEndpoint(ApiTokens.load(tokens),
                new JobRegistry(cluster.hazelcast(), Duration.ofHours(1), Clock.systemUTC()), () -> null);
        server = ApiServer.start(new Api(address("127.0.0.1"), List.of(RUNNER_FACING), tokens, null), 0,
                new ApiRoutes(ApiTokens.load(tokens), new Readiness(), new GatewayMetrics(), List.of(jobs,
                        new EventsEndpoint(ApiTokens.load(tokens), stream, Clock.fixed(NOW, ZoneOffset.UTC)))),
                new RunnerRoutes(jobs, AttributionApiTest.endpoint(ApiTokens.load(tokens), cluster.hazelcast())));
        publish(event("2026-11-23T13:00:00.000000Z", "gw-1", "block", "job-a", "evil.example"),
                event("2026-11-23T13:55:00.000000Z", "gw-2", "allow", "job-a", "github.com"),
                event("2026-11-23T13:56:00.000000Z", "gw-1", "block", "job-b", "attacker.example"),
                event("2026-11-23T13:57:00.000000Z", "gw-2", "would-block", null, "pastebin.example"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withoutFollowTheStreamHoldsEveryNodesEventsThenEnds() throws Exception {
        HttpResponse<String> r = get("", READER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(names(r.body())).startsWith("evil.example", "github.com", "attacker.example", "pastebin.example");
        assertThat(r.body().lines().map(l -> new JsonObject(l).getString("node")).distinct()).contains("gw-1", "gw-2");
    }

    @Test
    void filtersByVerdictJobAndSince() throws Exception {
        assertThat(names(get("?verdict=block", READER).body())).containsExactly("evil.example", "attacker.example");
        assertThat(names(get("?verdict=block,would-block", READER).body()))
                .containsExactly("evil.example", "attacker.example", "pastebin.example");
        assertThat(names(get("?job=job-a", READER).body())).containsExactly("evil.example", "github.com");
        assertThat(names(get("?since=10m&verdict=block", READER).body())).containsExactly("attacker.example");
        assertThat(names(get("?since=2026-11-23T13:56:30Z", READER).body())).containsExactly("pastebin.example");
        assertThat(names(get("?since=2026-11-23T14:56:30%2B01:00", READER).body())).containsExactly("pastebin.example");
        assertThat(get("?job=nobody&follow=false", READER).body()).isEmpty();
    }

    @Test
    void badParametersAreRefusedWithWhatIsAccepted() throws Exception {
        assertError("?verdict=blocked", "verdict 'blocked' is not one of allow, block, would-block, detect");
        assertError("?since=yesterday", "since 'yesterday' is neither a duration");
        assertError("?follow=yes", "follow 'yes' must be true or false");
        assertError("?jobs=x", "unknown parameter 'jobs'");
        assertError("?job=a&job=b", "job is given 2 times");
        assertError("?job=", "job is empty");
    }

    @Test
    void onlyReaderTokensReadEventsAndRunnersCannotReachThem() throws Exception {
        assertThat(get("", null).statusCode()).isEqualTo(401);
        assertThat(get("", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> registrar = get("", REGISTRAR);
        assertThat(registrar.statusCode()).isEqualTo(403);
        assertThat(registrar.body()).contains("reader is needed").doesNotContain("evil.example");
        HttpResponse<String> runner = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + server.port()
                + "/v1/events")).header("Authorization", "Bearer " + READER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(runner.statusCode()).isEqualTo(404);
        assertThat(runner.body()).doesNotContain("evil.example");
        assertThat(HTTP.send(request("").POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer "
                + READER).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void followStartsAfterTheRequestAndStreamsNewEventsAsTheyHappen() throws Exception {
        HttpResponse<Stream<String>> r = HTTP.send(request("?follow=true&job=job-f").header("Authorization",
                "Bearer " + READER).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        Iterator<String> lines = r.body().iterator();
        publish(event(EARLIER, "gw-3", "detect", "job-f", "later.example"));
        assertThat(new JsonObject(lines.next()).getString("sni")).isEqualTo("later.example");
        publish(event(EARLIER, "gw-3", "detect", "job-g", "other.example"),
                event(EARLIER, "gw-1", "detect", "job-f", "second.example"));
        assertThat(new JsonObject(lines.next()).getString("sni")).isEqualTo("second.example");
        r.body().close();
    }

    private static void assertError(String query, String message) throws Exception {
        HttpResponse<String> r = get(query, READER);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).contains(message);
    }

    private static List<String> names(String body) {
        return body.lines().map(l -> new JsonObject(l).getString("sni")).toList();
    }

    private static HttpResponse<String> get(String query, String token) throws Exception {
        HttpRequest.Builder request = request(query);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String query) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events" + query));
    }

    private static void publish(Event... events) {
        long before = sink.published();
        for (Event e : events) {
            sink.record(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.published() < before + events.length) {
            assertThat(System.nanoTime()).as("the sink publishes within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    static Event event(String ts, String node, String verdict, String jobId, String sni) {
        return new Event(ts, node, "tcp", verdict, "block".equals(verdict) ? "not-allowlisted" : "allowlisted",
                jobId == null ? null : new Event.JobRef(jobId, "octo/app", "CI", "build", "7"), "10.10.0.5",
                "198.51.100.7:443", sni, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.events.ClusterEventStream;
import io.tollgate.gateway.events.EventJson;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.testbed.FreePort;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower of {@code GET /v1/events} that reads nothing while the fleet writes far more than the stream and the
 * socket buffers hold: the node does not queue events for it; it gets a gap marker and goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventStreamSlowClientTest {
    private static final String READER = "slow-reader-secret";
    private static final int CAPACITY = 200;
    private static final Instant NOW = Instant.parse("2026-11-23T14:00:00Z");

    @TempDir
    static Path dir;
    private static ClusterMember cluster;
    private static Ringbuffer<String> stream;
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        stream = ClusterEventStream.open(cluster.hazelcast(), CAPACITY);
        List<ApiToken> tokens = List.of(new ApiToken("ops", ApiRole.READER, Files.writeString(dir.resolve("ops"), READER)));
        JobsEndpoint jobs = new JobsEndpoint(ApiTokens.load(tokens),
                new JobRegistry(cluster.hazelcast(), Duration.ofHours(1), Clock.systemUTC()), () -> null);
        server = ApiServer.start(new Api(InetAddress.getByName("127.0.0.1"), List.of(), tokens, null), 0,
                new ApiRoutes(ApiTokens.load(tokens), new Readiness(), new GatewayMetrics(), List.of(jobs,
                        new EventsEndpoint(ApiTokens.load(tokens), stream, Clock.systemUTC()))),
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
    void aClientTooSlowForTheFleetGetsAGapMarkerInsteadOfGrowingTheNodesMemory() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = slow.getOutputStream();
            out.write(("GET /v1/events?follow=true&job=job-slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + READER + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8),
                    512);
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            // Far more than the socket buffers and the stream's capacity hold, while the client reads nothing.
            String padding = "x".repeat(2000);
            for (int round = 0; round < 20; round++) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < CAPACITY; i++) {
                    batch.add(EventJson.toLine(
                            EventsApiTest.event(NOW.toString(), "gw-1", "block", "job-slow", padding + round + "-" + i)));
                }
                stream.addAllAsync(batch, OverflowPolicy.OVERWRITE).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            slow.setSoTimeout(10_000);
            boolean sawGap = false;
            String line;
            while (!sawGap && (line = in.readLine()) != null) {
                if (line.startsWith("{\"gap\"")) {
                    JsonObject gap = new JsonObject(line).getJsonObject("gap");
                    assertThat(gap.getLong("lost")).isPositive();
                    assertThat(gap.getString("detail")).contains("overwrote");
                    sawGap = true;
                }
            }
            assertThat(sawGap).as("a gap marker line").isTrue();
        }
    }
}

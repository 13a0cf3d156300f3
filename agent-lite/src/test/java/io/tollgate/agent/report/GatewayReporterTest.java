package io.tollgate.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.agent.bpf.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches over HTTP to a loopback stand-in for the gateway's /v1/attribution (JDK HttpServer on a free port). */
class GatewayReporterTest {
    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private volatile int refuseWith;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/attribution", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = failFirst.getAndDecrement() > 0 ? 503 : refuseWith != 0 ? refuseWith : 202;
            byte[] reply = (status == 202 ? "{}" : "{\"error\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsRecordsInBatchesWithTheTokenAndEscapedJson() throws Exception {
        try (GatewayReporter reporter = reporter()) {
            for (int i = 0; i < 5; i++) {
                reporter.connection(new ConnectionAttribution(tuple(40000 + i), process("a \"quoted\"\narg")));
            }
            reporter.https(new HttpsRequest(null, process("x"), "POST", "api.github.com", "/repos/o/r/issues"));
            waitFor(() -> reporter.sent() == 6);
        }
        assertThat(tokens).containsOnly("Bearer agent-secret");
        String all = String.join("", bodies);
        assertThat(all).contains("\"src\":\"127.0.0.1\",\"sport\":40000,\"dst\":\"10.20.0.9\",\"dport\":443")
                .contains("\"args\":[\"curl\",\"a \\\"quoted\\\"\\narg\"]")
                .contains("\"method\":\"POST\",\"host\":\"api.github.com\",\"path\":\"/repos/o/r/issues\"");
        assertThat(bodies.size()).isLessThan(6);
        assertThat(bodies).allSatisfy(body -> assertThat(body).startsWith("{\"connections\":[").endsWith("]}")
                .contains("],\"https\":["));
        assertThat(all).contains("}},{\"proto\":\"tcp\"").doesNotContain(",,").doesNotContain("[,");
    }

    @Test
    void retriesAfterAServerErrorAndDropsWhatTheGatewayRefuses() throws Exception {
        failFirst.set(1);
        try (GatewayReporter reporter = reporter()) {
            reporter.connection(new ConnectionAttribution(tuple(41000), process("x")));
            waitFor(() -> reporter.sent() == 1);
            refuseWith = 403;
            reporter.connection(new ConnectionAttribution(tuple(41001), process("x")));
            waitFor(() -> reporter.dropped() == 1);
        }
        assertThat(log).anyMatch(line -> line.contains("(503)") && line.contains("retrying"))
                .anyMatch(line -> line.contains("refused a batch (403)") && line.contains("agent"));
    }

    @Test
    void recordsOfAnotherSourceAddressThanTheAgentsOwnAreNotSent() throws Exception {
        // the stand-in is reached from 127.0.0.1, so that is this agent's address; 10.10.0.2 would be refused (403)
        try (GatewayReporter reporter = reporter()) {
            reporter.connection(new ConnectionAttribution(new Tuple("udp", InetAddress.getByName("10.10.0.2"), 53000,
                    InetAddress.getByName("10.20.0.53"), 53), process("dig")));
            reporter.connection(new ConnectionAttribution(tuple(42000), process("curl")));
            reporter.https(new HttpsRequest(new Tuple("tcp", InetAddress.getByName("fd10::2"), 42001,
                    InetAddress.getByName("fd20::2"), 443), process("curl"), "GET", "h", "/v6"));
            waitFor(() -> reporter.sent() == 1 && reporter.otherAddress() == 2);
        }
        assertThat(String.join("", bodies)).contains("\"sport\":42000").doesNotContain("53000").doesNotContain("/v6");
        assertThat(log).filteredOn(line -> line.contains("are not reported")).singleElement()
                .satisfies(line -> assertThat(line).contains("10.10.0.2").contains("127.0.0.1"));
    }

    @Test
    void queuesAtMostABoundedAmountWhileTheGatewayFailsThenSendsWhatWasKept() throws Exception {
        failFirst.set(Integer.MAX_VALUE);
        int records = 30_000;
        int length = BatchJson.connection(new ConnectionAttribution(tuple(50000), process("x")))
                .getBytes(StandardCharsets.UTF_8).length;
        try (GatewayReporter reporter = reporter()) {
            for (int i = 0; i < records; i++) {
                reporter.connection(new ConnectionAttribution(tuple(50000 + i % 10000), process("x")));
            }
            long kept = GatewayReporter.QUEUE_BYTES / length;
            waitFor(() -> reporter.dropped() >= records - kept);
            failFirst.set(0);
            waitFor(() -> reporter.sent() + reporter.dropped() == records);
            assertThat(reporter.sent()).isBetween(kept - GatewayReporter.BATCH_LIMIT, kept);
        }
    }

    private GatewayReporter reporter() {
        return new GatewayReporter(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "agent-secret",
                null, Duration.ofMillis(20), log::add);
    }

    private static ProcessRef process(String arg) {
        return new ProcessRef(4242, 4200, "/usr/bin/curl", List.of("curl", arg), "bash step.sh");
    }

    private static Tuple tuple(int sourcePort) throws IOException {
        return new Tuple("tcp", InetAddress.getByName("127.0.0.1"), sourcePort, InetAddress.getByName("10.20.0.9"),
                443);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 250 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("within 5 s").isTrue();
    }
}

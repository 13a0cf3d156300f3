package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiTls;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.decide.Reason;
import io.tollgate.gateway.decide.Verdict;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.testbed.ServerIdentity;
import io.tollgate.testbed.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.testbed.FreePort;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The operator API on loopback: health, readiness, bearer tokens with roles, metrics, TLS. */
class ApiServerTest {
    private static final String READER = "reader-secret-1";
    private static final String REGISTRAR = "registrar-secret-2";
    private static final String ADMIN = "admin-secret-3";

    @TempDir
    Path dir;
    private final Readiness readiness = new Readiness();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final HttpClient client = HttpClient.newHttpClient();
    private ApiServer server;

    private static ClusterMember cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void start() throws Exception {
        metrics.connectionDecided(Verdict.BLOCK, Reason.IOC, 1_000);
        server = start(null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthzAnswersOkWithoutAToken() throws Exception {
        HttpResponse<String> r = get("/healthz", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzIs503WithAReasonUntilTheNodeIsReadyAndAgainWhenItStops() throws Exception {
        HttpResponse<String> starting = get("/readyz", null);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("\"ready\":false").contains("\"reason\":\"starting:");

        readiness.ready();
        HttpResponse<String> ready = get("/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ready\":true");

        readiness.notReady("stopping");
        assertThat(get("/readyz", null).body()).contains("\"reason\":\"stopping\"");
    }

    @Test
    void metricsWithoutOrWithAWrongTokenAre401WithABearerChallenge() throws Exception {
        for (String token : new String[] {null, "wrong", READER + "x", READER.substring(1)}) {
            HttpResponse<String> r = get("/metrics", token == null ? null : "Bearer " + token);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(r.body()).doesNotContain("tollgate_");
        }
        assertThat(get("/metrics", "Basic " + Base64.getEncoder().encodeToString(("x:" + READER).getBytes()))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void metricsNeedTheReaderRoleWhichAdminAlsoHas() throws Exception {
        assertThat(get("/metrics", "Bearer " + REGISTRAR).statusCode()).isEqualTo(403);
        for (String token : new String[] {READER, ADMIN}) {
            HttpResponse<String> r = get("/metrics", "bearer  " + token);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(r.body()).contains("tollgate_connections_total{reason=\"ioc\",verdict=\"block\"} 1.0");
        }
    }

    @Test
    void refusalsAreLoggedWithTheClientAddressButNeverTheToken() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(BearerAuth.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            get("/metrics", "Bearer presented-" + READER);
            get("/metrics", "Bearer " + REGISTRAR);
        } finally {
            log.detachAppender(appender);
        }
        assertThat(appender.list).hasSize(2);
        assertThat(appender.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains("127.0.0.1").doesNotContain(READER).doesNotContain(REGISTRAR);
        });
        assertThat(appender.list.get(1).getFormattedMessage()).contains("'hooks' has role registrar, reader is needed");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        assertThat(get("/v1/nothing-here", "Bearer " + ADMIN).statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("http", "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void servesHttpsWithTheOperatorsPemCertificateAndKey() throws Exception {
        TestCa ca = TestCa.create("Tollgate API test CA");
        ServerIdentity identity = ca.issue(List.of("localhost"), List.of("127.0.0.1"));
        Path cert = Files.writeString(dir.resolve("api.crt"), pem("CERTIFICATE", identity.certificate().getEncoded()));
        Path key = Files.writeString(dir.resolve("api.key"), pem("PRIVATE KEY", identity.key().getEncoded()));
        server.close();
        server = start(new ApiTls(cert, key));

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(uri("https", "/metrics"))
                .header("Authorization", "Bearer " + READER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("tollgate_connections_total");
    }

    @Test
    void aMissingTlsKeyIsAStartErrorNamingIt() {
        Path missing = dir.resolve("missing.key");
        server.close();
        server = null;
        assertThatThrownBy(() -> start(new ApiTls(missing, missing)))
                .isInstanceOf(ApiStartException.class)
                .hasMessageContaining("gateway.api.tls.cert").hasMessageContaining(missing.toString());
    }

    private ApiServer start(ApiTls tls) throws Exception {
        List<ApiToken> tokens = List.of(token("ops", ApiRole.READER, READER), token("hooks", ApiRole.REGISTRAR, REGISTRAR),
                token("root", ApiRole.ADMIN, ADMIN));
        Api api = new Api(InetAddress.getByName("127.0.0.1"), List.of(), tokens, tls);
        JobsEndpoint jobs = new JobsEndpoint(ApiTokens.load(tokens),
                new JobRegistry(cluster.hazelcast(), Duration.ofHours(1), Clock.systemUTC()), () -> null);
        return ApiServer.start(api, 0, new ApiRoutes(ApiTokens.load(tokens), readiness, metrics, List.of(jobs)),
                new RunnerRoutes(jobs, AttributionApiTest.endpoint(ApiTokens.load(tokens), cluster.hazelcast())));
    }

    private ApiToken token(String name, ApiRole role, String secret) throws IOException {
        return new ApiToken(name, role, Files.writeString(dir.resolve(name + ".token"), secret + "\n"));
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("http", path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

package io.tollgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tollgate.testbed.ServerIdentity;
import io.tollgate.testbed.TestCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI calling an https:// gateway API whose certificate a private CA signed (a real TLS server on loopback). */
class ApiClientTlsTest {
    @TempDir
    Path dir;
    private final TestCa ca = TestCa.create("Tollgate CLI test CA");
    private HttpsServer server;
    private String url;
    private Path token;

    @BeforeEach
    void start() throws Exception {
        ServerIdentity identity = ca.issue(List.of("localhost"), List.of("127.0.0.1"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("api", identity.key(), new char[0], new Certificate[] {identity.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/v1/jobs", exchange -> {
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
        token = Files.writeString(dir.resolve("reader.token"), "secret\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theApiIsReachedThroughThePrivateCaOfCaFile() throws Exception {
        ApiClient.Reply reply = ApiClient.connect(url, token, ca.certificatePem()).send("GET", "/v1/jobs", null, Map.of());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("[]");
    }

    @Test
    void withoutTheCaTheHandshakeFailsWithAHintToPassIt() {
        assertThatThrownBy(() -> ApiClient.connect(url, token, null).send("GET", "/v1/jobs", null, Map.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("TLS handshake with the gateway API at " + url)
                .hasMessageContaining("--ca-file");
    }

    @Test
    void aCaFileThatIsNotACertificateIsRefusedByName() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> ApiClient.connect(url, token, notPem)).isInstanceOf(CliException.class)
                .hasMessageContaining("the CA file " + notPem);
        assertThatThrownBy(() -> ApiClient.connect(url, token, dir.resolve("missing.pem")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void aCaFileForAPlainHttpGatewayIsAMistakeSaidAsSuch() {
        assertThatThrownBy(() -> ApiClient.connect("http://127.0.0.1:9901", token, ca.certificatePem()))
                .isInstanceOf(CliException.class).hasMessageContaining("--ca-file is for an https:// gateway");
    }
}

package io.tollgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the job-started hook finds the job's OIDC token; the runner's token service is a loopback HTTP server. */
class IdTokenTest {
    @TempDir
    Path dir;

    @Test
    void asksTheRunnersTokenServiceForTheAudience() throws Exception {
        AtomicReference<String> asked = new AtomicReference<>();
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/token", exchange -> {
            asked.set(exchange.getRequestURI().getQuery() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"count\":1,\"value\":\"header.payload.signature\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        try {
            String url = "http://127.0.0.1:" + service.getAddress().getPort() + "/token?api-version=2.0";
            assertThat(IdToken.find(null, "tollgate", Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", url,
                    "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "runtime-secret"))).contains("header.payload.signature");
            assertThat(asked.get()).isEqualTo("api-version=2.0&audience=tollgate bearer runtime-secret");
        } finally {
            service.stop(0);
        }
    }

    @Test
    void aFileWinsAndNoSourceMeansNoToken() throws Exception {
        Path file = Files.writeString(dir.resolve("jwt"), "a.b.c\n");
        assertThat(IdToken.find(file, "tollgate", Map.of())).contains("a.b.c");
        assertThat(IdToken.find(null, "tollgate", Map.of())).isEmpty();
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThatThrownBy(() -> IdToken.find(empty, "tollgate", Map.of())).hasMessageContaining("is empty");
    }
}

package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;

/** The CLI's calls to a gateway's API with a bearer token read from a file. */
final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    record Reply(int status, String body) {
        JsonNode json() throws CliException {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliException("the gateway answered something that is not JSON: " + e.getMessage());
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI gateway;
    private final String token;
    private final HttpClient http;

    private ApiClient(URI gateway, String token, HttpClient http) {
        this.gateway = gateway;
        this.token = token;
        this.http = http;
    }

    /**
     * {@code gateway} is the API's base URL, e.g. {@code http://10.10.0.1:9901}; {@code caFile} (or {@code null} for
     * the JDK's trusted CAs) the PEM CA an {@code https://} gateway's certificate chains to.
     */
    static ApiClient connect(String gateway, Path tokenFile, Path caFile) throws CliException {
        URI base = baseUrl(gateway);
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (caFile != null) {
            if (!"https".equals(base.getScheme())) {
                throw new CliException("--ca-file is for an https:// gateway; " + base + " is plain http");
            }
            http.sslContext(TrustedCa.context(caFile));
        }
        return new ApiClient(base, readToken(tokenFile), http.build());
    }

    static URI baseUrl(String gateway) throws CliException {
        if (gateway == null || gateway.isBlank()) {
            throw new CliException("no gateway: pass --gateway URL (e.g. http://10.10.0.1:9901) or set TOLLGATE_GATEWAY");
        }
        try {
            URI uri = URI.create(gateway.strip().replaceAll("/+$", ""));
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException("--gateway '" + gateway + "' is not an http(s) URL such as http://10.10.0.1:9901");
        }
    }

    URI gateway() {
        return gateway;
    }

    Reply send(String method, String path, String jsonBody, Map<String, String> headers) throws CliException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (ConnectException | HttpTimeoutException e) {
            throw new CliException("cannot reach the gateway API at " + gateway + " (" + e.getClass().getSimpleName()
                    + "); check --gateway, and that the gateway lists that address in gateway.api.runner-bind");
        } catch (SSLHandshakeException e) {
            throw untrusted(e);
        } catch (IOException e) {
            throw new CliException("calling the gateway API at " + gateway + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while calling the gateway API");
        }
    }

    /** Receives the lines of a streamed reply as they arrive. */
    @FunctionalInterface
    interface LineHandler {
        void line(String line) throws CliException;
    }

    /**
     * GETs {@code path} and hands each line of a 200 reply to {@code lines} as it arrives, until the gateway ends the
     * reply (a followed stream never ends by itself); any other status is the refusal of {@code what}.
     */
    void stream(String path, String what, LineHandler lines) throws CliException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<Stream<String>> response =
                    http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (var body = response.body()) {
                if (response.statusCode() != 200) {
                    throw ApiError.of(what, new Reply(response.statusCode(),
                            String.join("\n", body.toList())));
                }
                for (var it = body.iterator(); it.hasNext();) {
                    lines.line(it.next());
                }
            }
        } catch (ConnectException | HttpTimeoutException e) {
            throw new CliException("cannot reach the gateway API at " + gateway + " (" + (e instanceof ConnectException
                    ? "connection refused" : "timed out") + "); check --gateway and the gateway's gateway.api.bind"
                    + " and gateway.listen.api");
        } catch (SSLHandshakeException e) {
            throw untrusted(e);
        } catch (IOException | UncheckedIOException e) {
            throw new CliException("the connection to the gateway API at " + gateway + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while reading from the gateway API");
        }
    }

    private CliException untrusted(SSLHandshakeException e) {
        return new CliException("the TLS handshake with the gateway API at " + gateway + " failed (" + e.getMessage()
                + "); if its certificate comes from a private CA, pass that CA with --ca-file FILE (env"
                + " TOLLGATE_CA_FILE)");
    }

    private static String readToken(Path file) throws CliException {
        if (file == null) {
            throw new CliException("no API token: pass --token-file FILE or set TOLLGATE_TOKEN_FILE");
        }
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new CliException("the token file " + file + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new CliException("the token file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read the token file " + file + ": " + e.getMessage());
        }
    }
}

package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The job's GitHub OIDC token for its registration: from a file the hook was given, or requested from the runner's
 * token service ({@code ACTIONS_ID_TOKEN_REQUEST_URL} / {@code _TOKEN}, present when the workflow grants
 * {@code id-token: write}), or none.
 */
final class IdToken {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private IdToken() {}

    static Optional<String> find(Path file, String audience, Map<String, String> env) throws CliException {
        if (file != null) {
            try {
                String token = Files.readString(file).strip();
                if (token.isEmpty()) {
                    throw new CliException("the id token file " + file + " is empty");
                }
                return Optional.of(token);
            } catch (IOException e) {
                throw new CliException("cannot read the id token file " + file + ": " + e.getMessage());
            }
        }
        String url = env.get("ACTIONS_ID_TOKEN_REQUEST_URL");
        String bearer = env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        if (url == null || url.isBlank() || bearer == null || bearer.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(request(url, bearer, audience));
    }

    private static String request(String url, String bearer, String audience) throws CliException {
        URI uri = URI.create(url + (url.contains("?") ? "&" : "?") + "audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
                    HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "bearer " + bearer).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CliException("the runner's OIDC token service answered HTTP " + response.statusCode());
            }
            JsonNode value = JSON.readTree(response.body()).get("value");
            if (value == null || value.asText().isBlank()) {
                throw new CliException("the runner's OIDC token service answered without a token");
            }
            return value.asText();
        } catch (IOException e) {
            throw new CliException("requesting the job's OIDC token failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while requesting the job's OIDC token");
        }
    }
}

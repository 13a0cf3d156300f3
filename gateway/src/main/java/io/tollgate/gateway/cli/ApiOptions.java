package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The gateway API's address, token file and CA, shared by the commands that call the API. */
final class ApiOptions {
    @Option(names = {"--gateway", "--api"}, defaultValue = "${env:TOLLGATE_GATEWAY}",
            description = "the gateway API's URL, e.g. http://127.0.0.1:9901 (env TOLLGATE_GATEWAY)")
    String gateway;

    @Option(names = "--token-file", defaultValue = "${env:TOLLGATE_TOKEN_FILE}",
            description = "file holding an API token (env TOLLGATE_TOKEN_FILE)")
    Path tokenFile;

    @Mixin
    CaFileOption ca;

    ApiClient connect() throws CliException {
        return ApiClient.connect(gateway, tokenFile, ca.caFile);
    }

    /** Calls the API once and returns the JSON answer; any other status than 200 is {@code what} failing. */
    JsonNode call(String what, String method, String path, String jsonBody) throws CliException {
        ApiClient.Reply reply = connect().send(method, path, jsonBody, Map.of());
        if (reply.status() != 200) {
            throw ApiError.of(what, reply);
        }
        return reply.json();
    }
}

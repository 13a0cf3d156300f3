package io.tollgate.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns a refusal of the API into the CLI's one-line error. */
final class ApiError {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiError() {}

    static CliException of(String what, ApiClient.Reply reply) {
        String message = reply.body().strip();
        try {
            JsonNode error = JSON.readTree(message).get("error");
            if (error != null) {
                message = error.asText();
            }
        } catch (JsonProcessingException notJson) {
            // a plain-text refusal (401/403 from the token check) is shown as it is
        }
        return new CliException(what + " failed (HTTP " + reply.status() + "): " + message);
    }
}

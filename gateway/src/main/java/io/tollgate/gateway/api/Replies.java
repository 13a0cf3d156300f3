package io.tollgate.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** How the API answers: plain text for the operational endpoints, JSON (errors as {@code {"error": …}}) for /v1. */
final class Replies {
    private Replies() {}

    static void text(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(body);
    }

    static void json(HttpServerRequest request, int status, Object body) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.encode(body) + "\n");
    }

    static void error(HttpServerRequest request, int status, String message) {
        json(request, status, new JsonObject().put("error", message));
    }

    static void methodNotAllowed(HttpServerRequest request, String allowed) {
        request.response().putHeader(HttpHeaders.ALLOW, allowed);
        error(request, 405, request.method() + " is not allowed on " + request.path() + "; use " + allowed);
    }
}

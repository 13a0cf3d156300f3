package io.tollgate.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import org.slf4j.Logger;

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

    /** A cluster-backed store failed: logged for the operator, 503 with what could not be done for the caller. */
    static void unavailable(Logger log, HttpServerRequest request, String store, String what, Throwable cause) {
        log.error("could not {}: {}", what, cause.toString());
        error(request, 503, "could not " + what + ": " + store + " is unavailable");
    }

    /** Runs a call that waits on the cluster on a Vert.x worker thread: never on the event loop. */
    static <T> Future<T> onWorker(Callable<T> call) {
        return Vertx.currentContext().executeBlocking(call);
    }

    static void methodNotAllowed(HttpServerRequest request, String allowed) {
        request.response().putHeader(HttpHeaders.ALLOW, allowed);
        error(request, 405, request.method() + " is not allowed on " + request.path() + "; use " + allowed);
    }
}

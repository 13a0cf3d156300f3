package io.tollgate.gateway.api;

import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The operator API's endpoints: {@code /healthz}, {@code /readyz}, {@code /metrics} (role {@code reader}) and the
 * {@code /v1/...} {@link OperatorEndpoint}s (jobs, policies, events, ...), first match wins.
 */
public final class ApiRoutes implements Handler<HttpServerRequest> {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final BearerAuth auth;
    private final Readiness readiness;
    private final GatewayMetrics metrics;
    private final List<OperatorEndpoint> endpoints;

    public ApiRoutes(ApiTokens tokens, Readiness readiness, GatewayMetrics metrics, List<OperatorEndpoint> endpoints) {
        this.auth = new BearerAuth(tokens);
        this.readiness = readiness;
        this.metrics = metrics;
        this.endpoints = List.copyOf(endpoints);
    }

    @Override
    public void handle(HttpServerRequest request) {
        for (OperatorEndpoint endpoint : endpoints) {
            if (endpoint.handles(request.path())) {
                endpoint.route(request);
                return;
            }
        }
        if (request.method() != HttpMethod.GET) {
            request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET").end();
            return;
        }
        switch (request.path()) {
            case "/healthz" -> Replies.text(request, 200, "ok\n");
            case "/readyz" -> readiness(request);
            case "/metrics" -> {
                if (auth.admit(request, ApiRole.READER).isPresent()) {
                    request.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(metrics.scrape());
                }
            }
            default -> Replies.text(request, 404,
                    "no such endpoint; try /healthz, /readyz, /metrics, /v1/jobs, /v1/policies or /v1/events\n");
        }
    }

    private void readiness(HttpServerRequest request) {
        JsonObject body = readiness.notReadyBecause()
                .map(why -> new JsonObject().put("ready", false).put("reason", why))
                .orElseGet(() -> new JsonObject().put("ready", true));
        request.response().setStatusCode(body.getBoolean("ready") ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode() + "\n");
    }
}

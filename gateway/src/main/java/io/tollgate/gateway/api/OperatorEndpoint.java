package io.tollgate.gateway.api;

import io.vertx.core.http.HttpServerRequest;

/** A group of operator API paths ({@code /v1/...}) that checks its own roles and answers its own requests. */
public interface OperatorEndpoint {
    /** Whether {@code path} belongs to this endpoint. */
    boolean handles(String path);

    void route(HttpServerRequest request);
}

package io.tollgate.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * What the API serves on runner-facing addresses: registering and finishing a job, nothing else (no health, metrics
 * or job listing for runners).
 */
public final class RunnerRoutes implements Handler<HttpServerRequest> {
    private final JobsEndpoint jobs;

    public RunnerRoutes(JobsEndpoint jobs) {
        this.jobs = jobs;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (JobsEndpoint.handles(request.path())) {
            jobs.route(request, false);
        } else {
            Replies.error(request, 404, "runners reach only POST " + JobsEndpoint.PATH + " and DELETE "
                    + JobsEndpoint.PATH + "/{ip} here");
        }
    }
}

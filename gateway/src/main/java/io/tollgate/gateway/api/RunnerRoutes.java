package io.tollgate.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * What the API serves on runner-facing addresses: registering and finishing a job, and agent-lite's attribution
 * batches; nothing else (no health, metrics or job listing for runners).
 */
public final class RunnerRoutes implements Handler<HttpServerRequest> {
    private final JobsEndpoint jobs;
    private final AttributionEndpoint attribution;

    public RunnerRoutes(JobsEndpoint jobs, AttributionEndpoint attribution) {
        this.jobs = jobs;
        this.attribution = attribution;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (jobs.handles(request.path())) {
            jobs.route(request, false);
        } else if (AttributionEndpoint.handles(request.path())) {
            attribution.route(request);
        } else {
            Replies.error(request, 404, "runners reach only POST " + JobsEndpoint.PATH + " and DELETE "
                    + JobsEndpoint.PATH + "/{ip} and POST " + AttributionEndpoint.PATH + " here");
        }
    }
}

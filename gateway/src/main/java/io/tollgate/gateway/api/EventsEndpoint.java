package io.tollgate.gateway.api;

import com.hazelcast.ringbuffer.Ringbuffer;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.events.ClusterEventStream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/events} (role {@code reader}, operator address only): the fleet's events from the cluster's event
 * stream as NDJSON, filtered by {@link EventQuery}; see {@link EventStreamResponse} for how it streams.
 */
public final class EventsEndpoint implements OperatorEndpoint {
    static final String PATH = "/v1/events";
    private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);

    private final BearerAuth auth;
    private final Ringbuffer<String> stream;
    private final Clock clock;

    public EventsEndpoint(ApiTokens tokens, Ringbuffer<String> stream, Clock clock) {
        this.auth = new BearerAuth(tokens);
        this.stream = stream;
        this.clock = clock;
    }

    @Override
    public boolean handles(String path) {
        return path.equals(PATH);
    }

    @Override
    public void route(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET) {
            Replies.methodNotAllowed(request, "GET");
            return;
        }
        var caller = auth.admit(request, ApiRole.READER);
        if (caller.isEmpty()) {
            return;
        }
        EventQuery query;
        try {
            query = EventQuery.parse(parameters(request.params()), clock.instant());
        } catch (IllegalArgumentException e) {
            Replies.error(request, 400, e.getMessage());
            return;
        }
        var context = Vertx.currentContext();
        context.executeBlocking(() -> EventStreamResponse.Position.of(stream)).onComplete(done -> {
            if (done.failed()) {
                LOG.error("cannot read the cluster's event stream {}: {}", ClusterEventStream.NAME, done.cause().toString());
                Replies.error(request, 503, "the cluster's event stream is unavailable; check the node's cluster member");
                return;
            }
            LOG.info("API events stream for token '{}' from {} ({})", caller.get().name(),
                    request.remoteAddress().hostAddress(), request.query() == null ? "no filters" : request.query());
            EventStreamResponse.start(request, context, stream, query, done.result());
        });
    }

    private static Map<String, List<String>> parameters(MultiMap params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String name : params.names()) {
            map.put(name, params.getAll(name));
        }
        return map;
    }
}

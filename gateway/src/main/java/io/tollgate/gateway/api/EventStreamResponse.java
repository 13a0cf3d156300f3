package io.tollgate.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's NDJSON stream of the cluster's events. The client's position is a sequence number in the ringbuffer,
 * and the next batch is read only once the previous one has left the client's write queue, so a slow client holds at
 * most one batch of the node's memory. If the client falls so far behind that the cluster has overwritten events it
 * had not read yet, it gets a marker line {@code {"gap":{"lost":N,…}}} and goes on from the oldest event still held.
 * A stream without {@code follow} ends at the newest event held when it began; with {@code follow} it begins at the
 * first event after the request (or at {@code since}, if given) and never ends by itself.
 */
final class EventStreamResponse {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamResponse.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 256;
    private static final String NDJSON = "application/x-ndjson";

    private final HttpServerResponse response;
    private final Context context;
    private final Ringbuffer<String> stream;
    private final EventQuery query;
    /** The last sequence to send (inclusive). */
    private final long end;
    /** The most events read at once: a batch, or the stream's capacity if that is smaller. */
    private final int batchSize;
    private long next;
    private boolean closed;

    private EventStreamResponse(HttpServerResponse response, Context context, Ringbuffer<String> stream,
            EventQuery query, long next, long end, int batchSize) {
        this.response = response;
        this.context = context;
        this.stream = stream;
        this.query = query;
        this.next = next;
        this.end = end;
        this.batchSize = batchSize;
    }

    /** Starts streaming from the ringbuffer as {@code position} found it when the request arrived. */
    static void start(HttpServerRequest request, Context context, Ringbuffer<String> stream, EventQuery query,
            Position position) {
        long head = position.head();
        long tail = position.tail();
        long first = query.follow() && query.since() == null ? tail + 1 : head;
        long end = query.follow() ? Long.MAX_VALUE : tail;
        HttpServerResponse response = request.response().setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, NDJSON).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        EventStreamResponse reader = new EventStreamResponse(response, context, stream, query, first, end,
                (int) Math.min(BATCH, position.capacity()));
        response.closeHandler(v -> reader.closed = true);
        response.writeHead();
        reader.pump();
    }

    /** The ringbuffer's oldest and newest sequence and its capacity. */
    record Position(long head, long tail, long capacity) {
        static Position of(Ringbuffer<String> stream) {
            return new Position(stream.headSequence(), stream.tailSequence(), stream.capacity());
        }
    }

    private void pump() {
        if (closed || response.closed()) {
            return;
        }
        if (next > end) {
            response.end();
            return;
        }
        if (response.writeQueueFull()) {
            response.drainHandler(v -> pump());
            return;
        }
        int max = end - next >= batchSize ? batchSize : (int) (end - next + 1);
        try {
            stream.readManyAsync(next, query.follow() ? 1 : 0, max, null)
                    .whenComplete((batch, failure) -> context.runOnContext(v -> received(batch, failure)));
        } catch (RuntimeException e) {
            received(null, e);
        }
    }

    private void received(ReadResultSet<String> batch, Throwable failure) {
        if (closed || response.closed()) {
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StaleSequenceException stale) {
            Buffer out = Buffer.buffer();
            gap(out, stale.getHeadSeq() - next);
            next = stale.getHeadSeq();
            response.write(out);
            pump();
            return;
        }
        if (cause != null) {
            LOG.error("reading the cluster's event stream failed: {}", cause.toString());
            response.end(new JsonObject().put("error", "the cluster's event stream became unavailable: "
                    + cause.getMessage()).encode() + "\n");
            return;
        }
        Buffer out = Buffer.buffer();
        if (batch.size() > 0 && batch.getSequence(0) > next) {
            gap(out, batch.getSequence(0) - next);
        }
        for (int i = 0; i < batch.size() && batch.getSequence(i) <= end; i++) {
            String line = batch.get(i);
            if (matches(line)) {
                out.appendString(line).appendByte((byte) '\n');
            }
        }
        next = Math.max(batch.getNextSequenceToReadFrom(), next + (batch.size() == 0 && !query.follow() ? 1 : 0));
        if (out.length() > 0) {
            response.write(out);
        }
        pump();
    }

    private boolean matches(String line) {
        try {
            return query.matches(JSON.readTree(line));
        } catch (JsonProcessingException e) {
            LOG.warn("skipping an event of the cluster's stream that is not JSON: {}", e.getOriginalMessage());
            return false;
        }
    }

    private static void gap(Buffer out, long lost) {
        out.appendString(new JsonObject().put("gap", new JsonObject().put("lost", lost).put("detail",
                "this client read more slowly than the fleet produced events, and the cluster's event stream"
                        + " overwrote them; they are in each node's events file")).encode()).appendByte((byte) '\n');
    }
}

package io.tollgate.gateway.events;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to the cluster's event stream from one publisher thread: the caller (an event loop) only offers
 * the event to a bounded queue. The publisher turns events into JSON lines and appends them in batches, one batch in
 * flight at a time, overwriting the stream's oldest events when it is full. When the cluster cannot keep up and the
 * queue fills, or a batch fails, the events are counted as dropped and an operator warning is logged; they are still
 * in the node's events file.
 */
public final class ClusterEventSink implements LineSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEventSink.class);
    private static final int QUEUE_CAPACITY = 16_384;
    private static final int BATCH = 1_000;
    private static final long APPEND_TIMEOUT_SECONDS = 10;

    private final Ringbuffer<String> stream;
    private final EventQueue queue = new EventQueue(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    public ClusterEventSink(Ringbuffer<String> stream) {
        this.stream = stream;
        this.thread = Thread.ofPlatform().name("tollgate-event-stream").daemon().start(this::publish);
    }

    @Override
    public void record(EventLine event) {
        if (!queue.offer(event)) {
            dropped(1, "its queue is full");
        }
    }

    /** Events that never reached the cluster's stream. */
    public long dropped() {
        return dropped.get();
    }

    /** Events appended to the cluster's stream. */
    public long published() {
        return published.get();
    }

    private void publish() {
        List<EventLine> batch = new ArrayList<>(BATCH);
        List<String> lines = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                queue.take(batch, BATCH);
                if (batch.isEmpty()) {
                    continue;
                }
                for (EventLine e : batch) {
                    lines.add(e.json());
                }
                stream.addAllAsync(lines, OverflowPolicy.OVERWRITE).toCompletableFuture()
                        .get(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                published.addAndGet(lines.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException | LinkageError e) {
                // The publisher must outlive a cluster hiccup (a member leaving, a partition migrating).
                dropped(batch.size(), "appending failed: " + (e instanceof ExecutionException ? e.getCause() : e));
            } finally {
                batch.clear();
                lines.clear();
            }
        }
    }

    private void dropped(int count, String why) {
        long before = dropped.getAndAdd(count);
        if (Long.numberOfLeadingZeros(before) != Long.numberOfLeadingZeros(before + count) || before == 0) {
            LOG.warn("the cluster's event stream {} lost {} events so far ({}); they are still in the node's events"
                    + " file; check the cluster's health", ClusterEventStream.NAME, before + count, why);
        }
    }

    @Override
    public void close() {
        closing = true;
        queue.stopWaiting();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

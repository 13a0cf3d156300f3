package io.tollgate.gateway.events;

import io.netty.util.internal.PlatformDependent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded queue from the event loops to one consumer thread that collects what arrived every few milliseconds
 * instead of being woken for each event. Recording an event costs its connection a lock-free offer and never a
 * thread wake-up, so the writer does not compete for a core with the connection it is writing about.
 */
final class EventQueue {
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Queue<EventLine> queue;

    EventQueue(int capacity) {
        queue = PlatformDependent.newFixedMpscQueue(capacity);
    }

    /** From any thread; {@code false} when the queue is full. */
    boolean offer(EventLine event) {
        return queue.offer(event);
    }

    /** From the consumer thread: waits one pause when nothing is queued, then moves up to {@code max} events. */
    void take(List<EventLine> batch, int max) {
        if (queue.isEmpty()) {
            LockSupport.parkNanos(PAUSE_NANOS);
        }
        EventLine e;
        while (batch.size() < max && (e = queue.poll()) != null) {
            batch.add(e);
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}

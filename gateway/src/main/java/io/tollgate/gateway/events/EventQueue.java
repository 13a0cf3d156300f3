package io.tollgate.gateway.events;

import io.netty.util.internal.PlatformDependent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded queue from the event loops to one consumer thread. While events flow, the consumer collects what arrived
 * once per pause instead of being woken for each event, so recording an event costs its connection a lock-free offer
 * and no thread wake-up. When a collection finds the queue empty the consumer sleeps until the next event, and the
 * one offer that finds it asleep wakes it: an idle node's writers do not wake at all (on two cores shared with the
 * runners' traffic every background wake-up can take a core just when a connection's next packet arrives).
 */
final class EventQueue {
    static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Queue<EventLine> queue;
    private final AtomicBoolean asleep = new AtomicBoolean();
    private volatile Thread consumer;
    private volatile boolean stopped;
    private boolean collected;

    EventQueue(int capacity) {
        queue = PlatformDependent.newFixedMpscQueue(capacity);
    }

    /** From any thread; {@code false} when the queue is full. */
    boolean offer(EventLine event) {
        if (!queue.offer(event)) {
            return false;
        }
        if (asleep.get() && asleep.compareAndSet(true, false)) {
            LockSupport.unpark(consumer);
        }
        return true;
    }

    /**
     * From the consumer thread: waits for events (one pause after a collection, until the next event after an empty
     * one, or until {@link #stopWaiting}), then moves up to {@code max} of them; a full batch is followed at once by
     * the next.
     */
    void take(List<EventLine> batch, int max) {
        if (collected && !stopped) {
            LockSupport.parkNanos(this, PAUSE_NANOS);
        }
        if (queue.isEmpty()) {
            sleepUntilOffered();
        }
        EventLine e;
        while (batch.size() < max && (e = queue.poll()) != null) {
            batch.add(e);
        }
        collected = !batch.isEmpty() && batch.size() < max;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Wakes the consumer and keeps it from sleeping again: it is about to drain what is left and stop. */
    void stopWaiting() {
        stopped = true;
        Thread t = consumer;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void sleepUntilOffered() {
        consumer = Thread.currentThread();
        asleep.set(true);
        // An offer after this write either sees the flag and wakes us, or its event is seen by the check below.
        while (asleep.get()) {
            if (stopped || !queue.isEmpty()) {
                asleep.set(false);
                return;
            }
            LockSupport.park(this);
        }
    }
}

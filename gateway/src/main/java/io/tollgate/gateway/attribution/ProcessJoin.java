package io.tollgate.gateway.attribution;

import io.tollgate.gateway.events.ConnectionEvents;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Joins each TCP event (and each {@code dns} event of a query over UDP, by its source address and port) with the runner
 * process agent-lite named for its connection. The event is held at most
 * {@code wait} for the attribution (the connection itself never waits: it is already relayed or reset); after that
 * it is recorded without {@code process}, and if the attribution still arrives within {@code lateWindow} a
 * {@code kind: process} event repeats the connection's fields with the process. Only connections of runners whose
 * agent has reported since the node started are held: the others are recorded at once with no timer, so nodes and
 * runners without agents pay one set look-up (the first connections of a newly started agent's runner go unjoined).
 */
public final class ProcessJoin implements ConnectionEvents.Sink, AutoCloseable {
    public static final String LATE_KIND = "process";
    private static final int MAX_LATE_WATCHES = 100_000;

    private final AttributionView view;
    private final EventSink events;
    private final Duration wait;
    private final Duration lateWindow;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "tollgate-process-join");
        t.setDaemon(true);
        return t;
    });

    public ProcessJoin(AttributionView view, EventSink events, Duration wait, Duration lateWindow, Clock clock) {
        this.view = view;
        this.events = events;
        this.wait = wait;
        this.lateWindow = lateWindow;
        this.clock = clock;
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void record(Event event, String connectionKey) {
        AttributedProcess known = view.get(connectionKey);
        if (known != null || wait.isZero() || !view.hasAgent(connectionKey)) {
            events.record(known == null ? event : event.withProcess(event.kind(), event.ts(), known.toEvent()));
            return;
        }
        Pending pending = new Pending(event, connectionKey);
        view.whenArrives(connectionKey, pending);
        timer.schedule(pending::waitOver, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private final class Pending implements Consumer<AttributedProcess> {
        private static final int WAITING = 0;
        private static final int RECORDED = 1;
        private static final int WATCHING_LATE = 2;
        private static final int DONE = 3;

        private final Event event;
        private final String key;
        private final AtomicInteger state = new AtomicInteger(WAITING);

        Pending(Event event, String key) {
            this.event = event;
            this.key = key;
        }

        @Override
        public void accept(AttributedProcess process) {
            if (state.compareAndSet(WAITING, RECORDED)) {
                events.record(event.withProcess(event.kind(), event.ts(), process.toEvent()));
            } else if (state.compareAndSet(WATCHING_LATE, DONE)) {
                events.record(event.withProcess(LATE_KIND, ConnectionEvents.timestamp(clock.instant()),
                        process.toEvent()));
            }
        }

        void waitOver() {
            if (!state.compareAndSet(WAITING, WATCHING_LATE)) {
                return;
            }
            events.record(event);
            if (view.waiters() > MAX_LATE_WATCHES) {
                stopWatching();
            } else {
                timer.schedule(this::stopWatching, lateWindow.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void stopWatching() {
            state.set(DONE);
            view.stopWaiting(key, this);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.tollgate.gateway.events;

/** Where decided connections are recorded. Implementations must not block the caller (an event loop). */
public interface EventSink {
    void record(Event event);
}

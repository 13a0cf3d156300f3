package io.tollgate.gateway.events;

/** A sink that writes events as their JSON lines; given an {@link EventLine}, it shares the serialization. */
public interface LineSink extends EventSink {
    void record(EventLine line);

    @Override
    default void record(Event event) {
        record(new EventLine(event));
    }
}

package io.tollgate.gateway.events;

import java.util.List;

/** Sends every event to each sink in turn. */
public record EventFanOut(List<EventSink> sinks) implements EventSink {
    @Override
    public void record(Event event) {
        for (EventSink sink : sinks) {
            sink.record(event);
        }
    }
}

package io.tollgate.gateway.events;

import java.util.List;

/** Sends every event to each sink in turn; the sinks that write JSON lines share one serialization of it. */
public record EventFanOut(List<EventSink> sinks) implements EventSink {
    @Override
    public void record(Event event) {
        EventLine line = null;
        for (EventSink sink : sinks) {
            if (sink instanceof LineSink lines) {
                if (line == null) {
                    line = new EventLine(event);
                }
                lines.record(line);
            } else {
                sink.record(event);
            }
        }
    }
}

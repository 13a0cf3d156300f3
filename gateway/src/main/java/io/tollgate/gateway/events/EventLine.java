package io.tollgate.gateway.events;

/**
 * An event and its JSON line, serialized once however many sinks write it: by the first consumer thread that needs it
 * (two threads asking at the same moment may both serialize it; either result is the same line).
 */
public final class EventLine {
    private final Event event;
    private volatile String json;

    public EventLine(Event event) {
        this.event = event;
    }

    public Event event() {
        return event;
    }

    /** The one-line JSON of the event, without the newline. */
    public String json() {
        String line = json;
        if (line == null) {
            line = EventJson.toLine(event);
            json = line;
        }
        return line;
    }
}

package io.tollgate.gateway.attribution;

import io.tollgate.gateway.events.Event;
import java.io.Serializable;
import java.util.List;

/** The runner process an agent named for one connection, as stored in {@value AttributionStore#MAP}. */
public record AttributedProcess(int pid, int ppid, String exe, List<String> args, String step) implements Serializable {
    public AttributedProcess {
        args = args == null ? List.of() : List.copyOf(args);
    }

    public Event.Process toEvent() {
        return new Event.Process(pid, ppid, exe, args.isEmpty() ? null : args, step);
    }
}

package io.tollgate.agent.process;

import java.util.List;

/** What the agent knows about one process: its parent, executable and argv (bounded), start time and cgroup. */
public record ProcessInfo(int pid, int ppid, String exe, List<String> args, long startNanos, long cgroupId) {

    /** The executable's file name, or argv[0]'s when the executable is unknown. */
    public String name() {
        String path = exe.isEmpty() && !args.isEmpty() ? args.getFirst() : exe;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** argv[0]'s file name ({@code exec -a NAME} sets it), or the empty string. */
    String argv0Name() {
        if (args.isEmpty()) {
            return "";
        }
        String first = args.getFirst();
        return first.substring(first.lastIndexOf('/') + 1);
    }

    ProcessInfo forkedAs(int childPid, long childStart) {
        return new ProcessInfo(childPid, pid, exe, args, childStart, cgroupId);
    }
}

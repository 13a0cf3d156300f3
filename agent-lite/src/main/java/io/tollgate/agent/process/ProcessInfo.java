package io.tollgate.agent.process;

import java.util.List;

/** What the agent knows about one process: its parent, executable and argv (bounded), start time and cgroup. */
public record ProcessInfo(int pid, int ppid, String exe, List<String> args, long startNanos, long cgroupId) {

    /**
     * Whether the executable's file name (argv[0]'s when the executable is unknown) or argv[0]'s file name
     * ({@code exec -a NAME} sets it) is {@code fileName}. Compared in place: it runs for every ancestor of every
     * connecting process, and cutting out the names allocated more than anything else on the agent's hot path.
     */
    public boolean named(String fileName) {
        String first = args.isEmpty() ? "" : args.getFirst();
        return hasFileName(exe.isEmpty() ? first : exe, fileName) || hasFileName(first, fileName);
    }

    private static boolean hasFileName(String path, String fileName) {
        int start = path.length() - fileName.length();
        return path.endsWith(fileName) && (start == 0 || start > 0 && path.charAt(start - 1) == '/');
    }

    ProcessInfo forkedAs(int childPid, long childStart) {
        return new ProcessInfo(childPid, pid, exe, args, childStart, cgroupId);
    }
}

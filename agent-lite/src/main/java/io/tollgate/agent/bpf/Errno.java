package io.tollgate.agent.bpf;

import java.util.Map;

/** Names the errno values libbpf and the kernel report, with what they usually mean here. */
final class Errno {
    static final int EINTR = 4;
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM (not permitted: run the agent as root)"),
            Map.entry(2, "ENOENT (no such file, symbol or tracepoint; is tracefs mounted?)"),
            Map.entry(EINTR, "EINTR"),
            Map.entry(7, "E2BIG"),
            Map.entry(13, "EACCES (refused by the verifier or missing privilege)"),
            Map.entry(16, "EBUSY"),
            Map.entry(19, "ENODEV"),
            Map.entry(22, "EINVAL (the kernel lacks this feature or the object does not fit it)"),
            Map.entry(95, "EOPNOTSUPP (not supported by this kernel)"),
            Map.entry(524, "ENOTSUPP (not supported by this kernel)"));

    private Errno() {}

    static String describe(int errno) {
        return "errno " + errno + " " + NAMES.getOrDefault(errno, "");
    }
}

package io.tollgate.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time of processes from /proc/PID/stat (user + system, all threads). */
final class ProcCpu {
    private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc times on Linux

    private ProcCpu() {}

    /** CPU seconds of {@code pid} so far; throws if the process is gone. */
    static double seconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // after "(comm) ": state is field 3 of the man page, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
    }

    /** CPU seconds of a process and its live descendants (e.g. an nginx master and its workers). */
    static double treeSeconds(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToDouble(h -> {
            try {
                return seconds(h.pid());
            } catch (IOException | RuntimeException e) {
                return 0; // exited between listing and reading
            }
        }).sum();
    }
}

package io.tollgate.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Memory and descriptors of a process tree from /proc: PSS (shared pages split between the sharers) and open fds. */
final class ProcMemory {
    private ProcMemory() {}

    /** Proportional set size of {@code root} and its live descendants, in bytes (nginx's workers share the master's pages). */
    static long pssBytes(ProcessHandle root) {
        return tree(root).mapToLong(ProcMemory::processPss).sum();
    }

    /** Open file descriptors of {@code root} and its live descendants. */
    static long fds(ProcessHandle root) {
        return tree(root).mapToLong(h -> {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(h.pid()), "fd"))) {
                return fds.count();
            } catch (IOException e) {
                return 0; // exited between listing and reading
            }
        }).sum();
    }

    private static Stream<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants());
    }

    private static long processPss(ProcessHandle process) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps_rollup")).stream()
                    .filter(l -> l.startsWith("Pss:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0);
        } catch (IOException e) {
            return 0; // exited between listing and reading
        }
    }
}

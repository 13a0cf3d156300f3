package io.tollgate.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may build network namespaces; tests skip with {@link #skipReason()} when it may not. */
public final class RootCheck {
    private RootCheck() {
    }

    public static boolean isRoot() {
        return effectiveUid() == 0;
    }

    public static String skipReason() {
        return "needs root to create network namespaces; CI runs as root (this process runs as uid " + effectiveUid() + ")";
    }

    /** The effective uid from {@code /proc/self/status} ("Uid: real effective saved fs"), or -1 if unreadable. */
    private static long effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .mapToLong(line -> Long.parseLong(line.split("\\s+")[2]))
                    .findFirst()
                    .orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

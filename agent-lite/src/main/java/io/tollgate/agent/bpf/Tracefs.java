package io.tollgate.agent.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** libbpf reads classic tracepoint ids from tracefs, which a fresh machine may not have mounted. */
public final class Tracefs {
    private static final Path MOUNT_POINT = Path.of("/sys/kernel/tracing");

    private Tracefs() {}

    /** Mounts tracefs at /sys/kernel/tracing when it is missing; returns why that failed, or {@code null}. */
    public static String ensureMounted() {
        if (Files.isDirectory(MOUNT_POINT.resolve("events"))) {
            return null;
        }
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tracefs", "nodev", MOUNT_POINT.toString())
                    .redirectErrorStream(true).start();
            String output = new String(mount.getInputStream().readAllBytes()).strip();
            if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
                return "mounting tracefs on " + MOUNT_POINT + " failed: " + output;
            }
            return null;
        } catch (IOException e) {
            return "mounting tracefs on " + MOUNT_POINT + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while mounting tracefs";
        }
    }
}

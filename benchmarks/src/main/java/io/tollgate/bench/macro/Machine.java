package io.tollgate.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were measured on. */
record Machine(int cores, String kernel, String cpuModel, String jdk, String loadAverage) {

    static Machine describe() {
        return new Machine(Runtime.getRuntime().availableProcessors(), firstLine("uname", "-r"), readCpuModel(),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")", readLoadAverage());
    }

    static String readLoadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first line a command prints (stdout and stderr), or {@code unknown}. */
    static String firstLine(String... argv) {
        return output(argv).lines().findFirst().orElse("unknown").strip();
    }

    /** What a command prints (stdout and stderr), empty if it cannot run. */
    static String output(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

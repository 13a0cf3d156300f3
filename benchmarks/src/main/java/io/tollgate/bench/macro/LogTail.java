package io.tollgate.bench.macro;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file for failure messages, reading only its end (a gateway log can reach 100 MB). */
final class LogTail {
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {}

    static String of(String what, Path log, int lines) {
        try (var file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return what + ", last lines:\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + what + ": " + e.getMessage() + ")";
        }
    }
}

package io.tollgate.bench.macro;

import io.tollgate.testbed.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary directory for one run (configs, logs, query files), deleted with everything in it on close. */
final class WorkDir implements AutoCloseable {
    private final Path path;

    private WorkDir(Path path) {
        this.path = path;
    }

    static WorkDir create(String prefix) throws IOException {
        return new WorkDir(Files.createTempDirectory(prefix));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            Directories.deleteTree(path);
        } catch (IOException e) {
            System.err.println("cannot delete " + path + ": " + e.getMessage());
        }
    }
}

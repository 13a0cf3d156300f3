package io.tollgate.testbed;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs external commands (usually {@code ip}) with a timeout, capturing their output. */
final class Command {
    private static final Logger log = LoggerFactory.getLogger(Command.class);
    private static final File DEV_NULL = new File("/dev/null");

    private Command() {
    }

    /**
     * Runs argv to completion. Output goes to temporary files rather than pipes, so a background child that
     * inherits stdout cannot make us wait forever. On timeout the whole process tree is killed and the result
     * carries the kill's exit code and a note in stderr.
     */
    static CommandResult run(Duration timeout, List<String> argv) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("testbed-out-", ".txt");
            err = Files.createTempFile("testbed-err-", ".txt");
            Process process = new ProcessBuilder(argv)
                    .redirectInput(DEV_NULL)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String timeoutNote = "";
            if (!finished) {
                killTree(process.toHandle());
                process.waitFor();
                timeoutNote = "\n[testbed] killed after timeout " + timeout;
            }
            var result = new CommandResult(argv, process.exitValue(), Files.readString(out), Files.readString(err) + timeoutNote);
            log.debug("{} -> exit {}", argv, result.exitCode());
            return result;
        } catch (IOException e) {
            throw new TestbedException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while running " + String.join(" ", argv), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Kills a process and all its descendants with SIGKILL. */
    static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("cannot delete {}", file, e);
            }
        }
    }
}

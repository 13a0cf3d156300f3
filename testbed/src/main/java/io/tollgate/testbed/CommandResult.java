package io.tollgate.testbed;

import java.util.List;

/** What a finished command printed and how it exited. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or throws a {@link TestbedException} naming the command, its exit code and stderr. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new TestbedException("command failed (exit " + exitCode + "): " + String.join(" ", argv)
                    + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip()));
        }
        return this;
    }
}

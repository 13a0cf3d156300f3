package io.tollgate.gateway.cli;

/** A command's body; a {@link CliException} becomes one line on stderr and exit code 1, never a stack trace. */
@FunctionalInterface
interface CliAction {
    void run() throws CliException;

    static int exitCode(CliAction action) {
        try {
            action.run();
            return 0;
        } catch (CliException e) {
            System.err.println("tollgate: " + e.getMessage());
            return 1;
        }
    }
}

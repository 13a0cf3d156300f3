package io.tollgate.gateway.demo;

import io.tollgate.testbed.CommandResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The programs the simulated build runs in the runner namespace, and how to read what they say. */
enum Client {
    /** curl over IPv4 (one A query per name), trusting the demo CA; succeeds when a server answered. */
    CURL {
        @Override
        List<String> argv(List<String> args, Path caCertificate) {
            List<String> argv = new ArrayList<>(List.of("curl", "-4", "-sS", "--max-time", "10",
                    "--cacert", caCertificate.toString(), "-o", "/dev/null",
                    "-w", "HTTP %{http_code}, %{size_download} bytes"));
            argv.addAll(args);
            return argv;
        }

        @Override
        StepOutcome outcome(BuildStep step, CommandResult result) {
            if (result.succeeded()) {
                return new StepOutcome(step, true, result.stdout().strip());
            }
            String said = result.stderr().strip();
            String lastLine = said.substring(said.lastIndexOf('\n') + 1);
            return new StepOutcome(step, false, said.isEmpty() ? "curl exited with " + result.exitCode() : lastLine);
        }
    },
    /** dig through the runner's resolv.conf; succeeds when the answer is NOERROR. */
    DIG {
        private static final Pattern STATUS = Pattern.compile("status: (\\w+)");

        @Override
        List<String> argv(List<String> args, Path caCertificate) {
            List<String> argv = new ArrayList<>(List.of("dig", "+tries=1", "+time=3"));
            argv.addAll(args);
            return argv;
        }

        @Override
        StepOutcome outcome(BuildStep step, CommandResult result) {
            Matcher status = STATUS.matcher(result.stdout());
            if (!status.find()) {
                String said = (result.stdout() + result.stderr()).strip();
                return new StepOutcome(step, false, "dig: " + said.substring(said.lastIndexOf('\n') + 1));
            }
            return new StepOutcome(step, "NOERROR".equals(status.group(1)), "dig: " + status.group(1));
        }
    };

    abstract List<String> argv(List<String> args, Path caCertificate);

    abstract StepOutcome outcome(BuildStep step, CommandResult result);
}

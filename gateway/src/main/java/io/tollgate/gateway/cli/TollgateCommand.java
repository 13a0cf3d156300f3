package io.tollgate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollgate} command line. */
@Command(name = "tollgate", mixinStandardHelpOptions = true, version = "tollgate 0.1.0",
        description = "Transparent egress gateway for CI/CD runner fleets.",
        subcommands = {GatewayCommand.class, JobCommand.class, JobsCommand.class, PolicyCommand.class, LogsCommand.class,
                AgentSubcommand.class,
                io.tollgate.gateway.demo.DemoCommand.class})
public final class TollgateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TollgateCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

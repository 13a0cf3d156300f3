package io.tollgate.gateway.cli;

import io.tollgate.agent.cli.AgentCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code tollgate agent ...}: hands its arguments to agent-lite's own command line, which parses them without
 * picocli to keep the agent's JVM small (the launcher runs that one directly).
 */
@Command(name = "agent", description = "agent-lite: eBPF process attribution and HTTPS method + path for the gateway"
        + " (tollgate agent run --help).")
final class AgentSubcommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return AgentCommand.run(args);
    }
}

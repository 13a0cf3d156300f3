package io.tollgate.gateway.demo;

import io.tollgate.gateway.cli.GatewayProcessException;
import io.tollgate.testbed.TestbedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate demo}: a throw-away namespace sandbox, a real gateway with the embedded demo policy, a simulated
 * malicious build, and a report of what was allowed and blocked and why. Exit 0 when the gateway behaved as
 * promised, 1 when it did not (or the demo failed), 2 when the host cannot run it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a simulated malicious CI build through a real gateway in a throw-away network-namespace"
                + " sandbox, show what was blocked and why, then remove everything. Needs root.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> problem = Prerequisites.problem();
        if (problem.isPresent()) {
            err.println(problem.get());
            return 2;
        }
        long started = System.nanoTime();
        int exitCode;
        try (DemoSandbox sandbox = DemoSandbox.create(SimulatedBuild.HOSTS)) {
            exitCode = run(sandbox, out, err);
        } catch (DemoFailure | GatewayProcessException | TestbedException | IOException | UncheckedIOException e) {
            err.println("tollgate demo failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tollgate demo was interrupted");
            return 1;
        }
        out.printf("sandbox removed; the demo took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return exitCode;
    }

    private static int run(DemoSandbox sandbox, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        out.println("tollgate demo: throw-away sandbox " + String.join(" ⇄ ", sandbox.namespaces())
                + " (runner ⇄ gateway ⇄ fake internet)");
        out.println("policy '" + DemoConfig.POLICY + "' (block mode) allows " + String.join(", ", DemoConfig.ALLOWED_ENDPOINTS)
                + "; IOC list: " + String.join(", ", DemoConfig.IOC_DOMAINS) + ", " + String.join(", ", DemoConfig.IOC_IPS));
        out.println("runner DNS goes to " + DemoConfig.DECOY_RESOLVER_IP + " (its resolv.conf; a decoy inside the sandbox"
                + " that must see no query) and is intercepted by the gateway");
        sandbox.startGateway();
        out.println("gateway running (pid " + sandbox.gatewayPid() + "); the simulated build in the runner namespace:");
        List<StepOutcome> outcomes = new SimulatedBuild(sandbox, out).run();
        int expectedEvents = outcomes.stream().mapToInt(o -> o.step().events().size()).sum();
        var report = new DemoReport(outcomes, sandbox.events(expectedEvents), sandbox.internetLog());
        out.println();
        out.println("what the gateway decided (from its events file):");
        report.print(out);
        out.flush();
        List<String> problems = report.problems();
        if (problems.isEmpty()) {
            return 0;
        }
        err.println("tollgate demo: the gateway did not behave as expected:");
        problems.forEach(p -> err.println("  - " + p));
        return 1;
    }
}

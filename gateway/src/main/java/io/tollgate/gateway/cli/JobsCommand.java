package io.tollgate.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tollgate jobs}: the cluster's running jobs and the policy each one gets, as a table. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the running jobs and their policy.")
final class JobsCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        return CliAction.exitCode(() -> {
            System.out.print(JobTable.render(api.call("listing the jobs", "GET", "/v1/jobs", null).path("jobs")));
        });
    }
}

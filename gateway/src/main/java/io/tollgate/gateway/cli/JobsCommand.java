package io.tollgate.gateway.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate jobs}: the cluster's running jobs and the policy each one gets, as a table. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the running jobs and their policy.")
final class JobsCommand implements Callable<Integer> {
    @Option(names = "--gateway", defaultValue = "${env:TOLLGATE_GATEWAY}",
            description = "the gateway API's URL, e.g. http://127.0.0.1:9901 (env TOLLGATE_GATEWAY)")
    String gateway;

    @Option(names = "--token-file", defaultValue = "${env:TOLLGATE_TOKEN_FILE}",
            description = "file holding a reader token (env TOLLGATE_TOKEN_FILE)")
    Path tokenFile;

    @Override
    public Integer call() {
        return CliAction.exitCode(() -> {
            ApiClient.Reply reply = ApiClient.connect(gateway, tokenFile).send("GET", "/v1/jobs", null, Map.of());
            if (reply.status() != 200) {
                throw ApiError.of("listing the jobs", reply);
            }
            System.out.print(JobTable.render(reply.json().path("jobs")));
        });
    }
}

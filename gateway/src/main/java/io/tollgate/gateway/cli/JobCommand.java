package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import io.tollgate.gateway.api.JobsEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tollgate job start|finish}: what a runner's job-started and job-completed hooks run to register the job with
 * the gateway (from the {@code GITHUB_*} environment) and to finish it with the secret registration returned.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Register (start) or deregister (finish) this runner's job with the gateway.",
        subcommands = {JobCommand.Start.class, JobCommand.Finish.class})
final class JobCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Register the job described by GITHUB_REPOSITORY, GITHUB_WORKFLOW, GITHUB_JOB, GITHUB_RUN_ID,"
                    + " GITHUB_RUN_ATTEMPT and RUNNER_NAME for this runner's address.")
    static final class Start implements Callable<Integer> {
        /** The registration's fields and the environment variables they come from. */
        private static final Map<String, String> FROM_ENV = Map.of("repo", "GITHUB_REPOSITORY",
                "workflow", "GITHUB_WORKFLOW", "job", "GITHUB_JOB", "run_id", "GITHUB_RUN_ID",
                "run_attempt", "GITHUB_RUN_ATTEMPT", "runner_name", "RUNNER_NAME");

        @Option(names = "--gateway", defaultValue = "${env:TOLLGATE_GATEWAY}",
                description = "the gateway API's runner-facing URL, e.g. http://10.10.0.1:9901 (env TOLLGATE_GATEWAY)")
        String gateway;

        @Option(names = "--token-file", defaultValue = "${env:TOLLGATE_TOKEN_FILE}",
                description = "file holding a registrar token (env TOLLGATE_TOKEN_FILE)")
        Path tokenFile;

        @Mixin
        CaFileOption ca;

        @Option(names = "--ip", description = "this runner's address; default: the source address of the route to the gateway")
        String ip;

        @Option(names = "--state-file", description = "where the finish secret is kept; default $RUNNER_TEMP/tollgate-job.json")
        Path stateFile;

        @Option(names = "--id-token-file", defaultValue = "${env:TOLLGATE_ID_TOKEN_FILE}",
                description = "the job's GitHub OIDC token; default: requested from ACTIONS_ID_TOKEN_REQUEST_URL when"
                        + " the workflow grants id-token: write (env TOLLGATE_ID_TOKEN_FILE)")
        Path idTokenFile;

        @Option(names = "--oidc-audience", defaultValue = "${env:TOLLGATE_OIDC_AUDIENCE:-tollgate}",
                description = "the audience to request the token for, gateway.jobs.oidc.audience (env"
                        + " TOLLGATE_OIDC_AUDIENCE, default tollgate)")
        String audience;

        @Override
        public Integer call() {
            return CliAction.exitCode(this::start);
        }

        private void start() throws CliException {
            Path state = JobState.location(stateFile);
            ApiClient api = ApiClient.connect(gateway, tokenFile, ca.caFile);
            InetAddress runner = ip != null ? RunnerAddress.parse(ip) : RunnerAddress.toward(api.gateway());
            ObjectNode body = JSON.createObjectNode().put("ip", InetAddresses.toAddrString(runner));
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, String> field : FROM_ENV.entrySet()) {
                String value = System.getenv(field.getValue());
                if (value == null || value.isBlank()) {
                    missing.add(field.getValue());
                } else {
                    body.put(field.getKey(), value);
                }
            }
            if (!missing.isEmpty()) {
                throw new CliException("not set: " + String.join(", ", missing.stream().sorted().toList())
                        + " (the runner sets them for its job hooks)");
            }
            IdToken.find(idTokenFile, audience, System.getenv()).ifPresent(token -> body.put("id_token", token));
            ApiClient.Reply reply = api.send("POST", "/v1/jobs", body.toString(), Map.of());
            if (reply.status() != 201) {
                throw ApiError.of("registering the job", reply);
            }
            JsonNode created = reply.json();
            new JobState(api.gateway().toString(), body.get("ip").asText(), created.path("id").asText(),
                    created.path("finish_secret").asText()).write(state);
            System.out.println("tollgate: job " + created.path("id").asText() + " registered for "
                    + body.get("ip").asText() + " (" + body.get("repo").asText() + ", workflow '"
                    + body.get("workflow").asText() + "', job '" + body.get("job").asText() + "', run "
                    + body.get("run_id").asText() + ")");
        }
    }

    @Command(name = "finish", mixinStandardHelpOptions = true,
            description = "Deregister the job that `tollgate job start` registered (reads and then removes its state file).")
    static final class Finish implements Callable<Integer> {
        @Option(names = "--token-file", defaultValue = "${env:TOLLGATE_TOKEN_FILE}",
                description = "file holding a registrar token (env TOLLGATE_TOKEN_FILE)")
        Path tokenFile;

        @Option(names = "--state-file", description = "default $RUNNER_TEMP/tollgate-job.json")
        Path stateFile;

        @Mixin
        CaFileOption ca;

        @Override
        public Integer call() {
            return CliAction.exitCode(this::finish);
        }

        private void finish() throws CliException {
            Path file = JobState.location(stateFile);
            JobState state = JobState.read(file);
            ApiClient api = ApiClient.connect(state.gateway(), tokenFile, ca.caFile);
            ApiClient.Reply reply = api.send("DELETE", "/v1/jobs/" + state.ip(), null,
                    Map.of(JobsEndpoint.FINISH_SECRET_HEADER, state.finishSecret()));
            if (reply.status() == 204) {
                System.out.println("tollgate: job " + state.id() + " on " + state.ip() + " finished");
            } else if (reply.status() == 404) {
                System.out.println("tollgate: job " + state.id() + " on " + state.ip()
                        + " was no longer registered (it outlived gateway.jobs.max-duration)");
            } else {
                throw ApiError.of("finishing the job", reply);
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new CliException("the job is finished, but the state file " + file + " cannot be removed: "
                        + e.getMessage());
            }
        }
    }
}

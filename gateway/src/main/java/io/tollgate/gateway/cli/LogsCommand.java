package io.tollgate.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tollgate logs}: the whole fleet's events from any node's {@code GET /v1/events}, one readable line each or
 * the raw JSON lines.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the fleet's events (every node's) from the cluster's event stream.")
final class LogsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ApiOptions api;

    @Option(names = {"-f", "--follow"}, description = "keep printing new events as they happen")
    boolean follow;

    @Option(names = "--job", description = "only this job's events (a job id, as `tollgate jobs` lists it)")
    String job;

    @Option(names = "--verdict", description = "only these verdicts: allow, block, would-block, detect (comma-separated)")
    String verdict;

    @Option(names = "--since", description = "only events since a time ago (30s, 10m, 2h, 1d) or an RFC 3339 time")
    String since;

    @Option(names = "--json", description = "print the events' raw JSON lines")
    boolean json;

    @Override
    public Integer call() {
        return CliAction.exitCode(() -> {
            api.connect().stream("/v1/events" + query(), "reading the events", this::print);
        });
    }

    String query() {
        List<String> parameters = new ArrayList<>();
        add(parameters, "job", job);
        add(parameters, "verdict", verdict);
        add(parameters, "since", since);
        if (follow) {
            parameters.add("follow=true");
        }
        return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }

    /** Prints one line of the stream; a gap marker goes to stderr, an error line ends the command. */
    void print(String line) throws CliException {
        print(line, json, System.out, System.err);
    }

    static void print(String line, boolean json, PrintStream out, PrintStream err) throws CliException {
        if (line.isBlank()) {
            return;
        }
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new CliException("the gateway sent a line that is not JSON: " + e.getOriginalMessage());
        }
        if (event.has("gap")) {
            err.println("tollgate: " + event.path("gap").path("lost").asLong() + " events were skipped: "
                    + event.path("gap").path("detail").asText());
            return;
        }
        if (event.has("error") && !event.has("ts")) {
            throw new CliException("the event stream ended: " + event.path("error").asText());
        }
        out.println(json ? line : EventLine.render(event));
        out.flush();
    }

    private static void add(List<String> parameters, String name, String value) {
        if (value != null) {
            parameters.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}

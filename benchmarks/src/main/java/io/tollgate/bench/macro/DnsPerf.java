package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.NetNs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code dnsperf} in the runner namespace against one DNS server (UDP), its statistics parsed. */
final class DnsPerf {
    private static final Pattern RCODE = Pattern.compile("([A-Z]+) (\\d+) \\(");

    /**
     * Unthrottled load: {@code clients} sockets, at most {@code outstanding} queries in flight (dnsperf sends the
     * next query as soon as one is answered), a query unanswered after {@code timeoutSeconds} counts as lost.
     */
    record Settings(int seconds, int clients, int threads, int outstanding, int timeoutSeconds) {
        List<String> argv() {
            return List.of("-l", Integer.toString(seconds), "-c", Integer.toString(clients), "-T",
                    Integer.toString(threads), "-q", Integer.toString(outstanding), "-t", Integer.toString(timeoutSeconds));
        }

        String commandLine(String server) {
            return "dnsperf -s " + server + " -d FILE " + String.join(" ", argv());
        }
    }

    /** dnsperf's statistics (queries, response codes, queries per second, average latency) and its CPU time. */
    record Result(long sent, long completed, long lost, Map<String, Long> rcodes, double queriesPerSecond,
            double averageLatencySeconds, double clientCpuSeconds) {}

    private final NetNs runner;
    private final String server;

    DnsPerf(NetNs runner, String server) {
        this.runner = runner;
        this.server = server;
    }

    /** Replays {@code queries} for the settings' duration at the highest rate the server sustains. */
    Result run(Path queries, Settings settings) {
        return exec(queries, settings.seconds() + settings.timeoutSeconds() + 30, settings.argv());
    }

    /** Sends every query of the file once (cache warm-up), a few at a time. */
    Result once(Path queries) {
        return exec(queries, 60, List.of("-n", "1", "-c", "1", "-q", "20", "-t", "5"));
    }

    /** {@code 2.10.0}, from {@code dnsperf -h}. */
    static String version() {
        return Machine.output("dnsperf", "-h").lines().filter(l -> l.startsWith("Version")).findFirst()
                .map(l -> l.substring("Version".length()).strip()).orElse("unknown");
    }

    /** Runs dnsperf through a shell whose {@code times} then reports dnsperf's CPU time on the last line. */
    private Result exec(Path queries, long timeoutSeconds, List<String> options) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "dnsperf \"$@\" && times", "sh",
                "-s", server, "-d", queries.toString()));
        argv.addAll(options);
        CommandResult r = runner.exec(Duration.ofSeconds(timeoutSeconds), argv.toArray(String[]::new));
        if (!r.succeeded() || !r.stdout().contains("Queries per second")) {
            throw new BenchmarkFailure("dnsperf " + String.join(" ", argv.subList(4, argv.size())) + " failed (exit "
                    + r.exitCode() + "): " + r.stderr().strip() + "\n" + r.stdout().strip());
        }
        return parse(r.stdout());
    }

    private static Result parse(String out) {
        Map<String, Long> rcodes = new LinkedHashMap<>();
        Matcher m = RCODE.matcher(field(out, "Response codes:", ""));
        while (m.find()) {
            rcodes.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return new Result(Long.parseLong(firstWord(field(out, "Queries sent:", null))),
                Long.parseLong(firstWord(field(out, "Queries completed:", null))),
                Long.parseLong(firstWord(field(out, "Queries lost:", null))), rcodes,
                Double.parseDouble(firstWord(field(out, "Queries per second:", null))),
                Double.parseDouble(firstWord(field(out, "Average Latency (s):", null))),
                ShellTimes.seconds(out.strip().lines().toList().getLast()));
    }

    /** The rest of the line after {@code label}; {@code fallback} if absent, or a failure if that is null. */
    private static String field(String out, String label, String fallback) {
        return out.lines().map(String::strip).filter(l -> l.startsWith(label)).findFirst()
                .map(l -> l.substring(label.length()).strip())
                .orElseGet(() -> {
                    if (fallback == null) {
                        throw new BenchmarkFailure("dnsperf printed no '" + label + "':\n" + out);
                    }
                    return fallback;
                });
    }

    private static String firstWord(String s) {
        return s.split("\\s+")[0];
    }
}

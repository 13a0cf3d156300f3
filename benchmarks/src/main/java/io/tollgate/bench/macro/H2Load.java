package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.NetNs;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New TLS connections per second with {@code h2load --h1} (nghttp2) in the runner namespace: {@code clients}
 * concurrent clients, each fetching a URL whose server closes the connection after every response, so every request
 * is a new TCP connection and a full TLS handshake (the server disables session resumption). h2load does not check
 * the certificate; every request must end with a 2xx or the run fails.
 */
final class H2Load {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern RATE = Pattern.compile("finished in \\S+, ([\\d.]+) req/s");
    private static final Pattern DONE = Pattern.compile("requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) succeeded");
    private static final Pattern OK = Pattern.compile("status codes: (\\d+) 2xx");

    /** Connections made, their rate over h2load's whole run and h2load's CPU time. */
    record Result(int connections, double rate, double clientCpuSeconds) implements Load {
        @Override
        public double work() {
            return connections;
        }
    }

    private final NetNs runner;

    H2Load(NetNs runner) {
        this.runner = runner;
    }

    /** {@code h2load nghttp2/1.52.0}, from {@code h2load --version}. */
    static String version() {
        return Machine.firstLine("h2load", "--version");
    }

    /** Opens {@code connections} connections, at most {@code clients} at once, one request each. */
    Result run(String url, int connections, int clients) {
        // `times` after h2load: the shell's children's CPU time, i.e. h2load's
        CommandResult r = runner.exec(TIMEOUT, "sh", "-c", "h2load --h1 -t 1 -n \"$1\" -c \"$2\" \"$3\" && times", "sh",
                Integer.toString(connections), Integer.toString(clients), url);
        Matcher rate = RATE.matcher(r.stdout());
        Matcher done = DONE.matcher(r.stdout());
        Matcher ok = OK.matcher(r.stdout());
        if (!r.succeeded() || !rate.find() || !done.find() || !ok.find()) {
            throw new BenchmarkFailure("h2load on " + url + " failed (exit " + r.exitCode() + "): " + r.stderr().strip()
                    + "\n" + r.stdout().strip());
        }
        String expected = Integer.toString(connections);
        if (!done.group(1).equals(expected) || !done.group(2).equals(expected) || !ok.group(1).equals(expected)) {
            throw new BenchmarkFailure("h2load on " + url + ": not all " + connections + " requests succeeded with 2xx:\n"
                    + r.stdout().strip());
        }
        return new Result(connections, Double.parseDouble(rate.group(1)),
                ShellTimes.seconds(r.stdout().strip().lines().toList().getLast()));
    }
}

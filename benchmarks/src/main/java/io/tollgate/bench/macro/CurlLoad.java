package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.NetNs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTPS downloads with real curl processes in the runner namespace (HTTP/1.1, body to /dev/null, the test CA trusted):
 * bulk transfers and timed handshakes. Every download must end with 200 (and a bulk one with exactly the expected
 * number of bytes), or the run fails.
 */
final class CurlLoad {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    // One shell in the runner namespace starts the curls at once and timestamps the whole batch (so the wall time
    // excludes the `ip netns exec` start-up), then prints the CPU time of its children (the curls) with `times`.
    // %{exitcode} needs curl >= 7.75.
    private static final String SCRIPT = """
            n=$1; ca=$2; url=$3
            date +%s%N
            i=0
            while [ "$i" -lt "$n" ]; do
              curl -sS --http1.1 --cacert "$ca" -o /dev/null \\
                -w '%{exitcode} %{http_code} %{size_download} %{time_total}\\n' "$url" &
              i=$((i + 1))
            done
            wait
            date +%s%N
            times
            """;

    /**
     * What was downloaded, how long it took and the CPU time the curl processes used. One stream: curl's own
     * {@code time_total} (TCP + TLS handshake + transfer); several: wall time of the whole batch.
     */
    record Transfer(long bytes, double seconds, double clientCpuSeconds) implements Load {
        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }

        @Override
        public double rate() {
            return megabytesPerSecond();
        }

        @Override
        public double work() {
            return bytes;
        }
    }

    private final NetNs runner;
    private final Path caPem;

    CurlLoad(NetNs runner, Path caPem) {
        this.runner = runner;
        this.caPem = caPem;
    }

    /** {@code curl 7.88.1 OpenSSL/3.0.x}, from {@code curl --version}. */
    static String version() {
        return Machine.firstLine("curl", "--version").replaceAll("^(curl \\S+).*?(OpenSSL/\\S+)?.*$", "$1 $2").strip();
    }

    Transfer single(String url, long expectedBytes) {
        return run(url, 1, expectedBytes);
    }

    Transfer parallel(String url, int streams, long expectedBytesEach) {
        return run(url, streams, expectedBytesEach);
    }

    /**
     * Connection setup times under light load: one curl process fetches {@code url} {@code count} times in a row,
     * each over a new connection (the server closes it after the response) with a full handshake
     * ({@code --no-sessionid}; the server disables resumption too). Returns curl's {@code time_appconnect} of each,
     * in milliseconds: from the start of the transfer (name looked up in /etc/hosts) to the end of the TLS handshake,
     * which through a middlebox includes its decision and its own connection to the server.
     */
    List<Double> handshakes(String url, int count) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--no-sessionid", "--cacert",
                caPem.toString(), "-w", "%{exitcode} %{http_code} %{num_connects} %{time_appconnect}\\n"));
        for (int i = 0; i < count; i++) {
            argv.addAll(List.of("-o", "/dev/null", url));
        }
        CommandResult r = runner.exec(TIMEOUT, argv.toArray(String[]::new));
        List<String> lines = r.stdout().lines().filter(l -> !l.isBlank()).toList();
        if (!r.succeeded() || lines.size() != count) {
            throw new BenchmarkFailure(count + " handshakes with " + url + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip() + "\n" + r.stdout().strip());
        }
        List<Double> millis = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (!f[0].equals("0") || !f[1].equals("200") || !f[2].equals("1")) {
                throw new BenchmarkFailure("a handshake with " + url + " failed or reused a connection (curl exit "
                        + f[0] + ", HTTP " + f[1] + ", " + f[2] + " new connections): " + r.stderr().strip());
            }
            millis.add(Double.parseDouble(f[3]) * 1000);
        }
        return millis;
    }

    private Transfer run(String url, int streams, long expectedBytesEach) {
        CommandResult r = runner.exec(TIMEOUT, "sh", "-c", SCRIPT, "sh", Integer.toString(streams), caPem.toString(), url);
        List<String> lines = r.stdout().lines().filter(l -> !l.isBlank()).toList();
        if (!r.succeeded() || lines.size() != streams + 4) {
            throw new BenchmarkFailure(streams + " download(s) of " + url + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip() + "\n" + r.stdout().strip());
        }
        long bytes = 0;
        double curlSeconds = 0;
        for (String line : lines.subList(1, streams + 1)) {
            String[] f = line.split(" ");
            if (!f[0].equals("0")) {
                throw new BenchmarkFailure("download of " + url + " failed (curl exit " + f[0] + ", HTTP " + f[1]
                        + ", " + f[2] + " bytes): " + r.stderr().strip());
            }
            long size = Long.parseLong(f[2]);
            check(url, f[1], size, expectedBytesEach);
            bytes += size;
            curlSeconds = Double.parseDouble(f[3]);
        }
        double wall = (Long.parseLong(lines.get(streams + 1)) - Long.parseLong(lines.getFirst())) / 1e9;
        return new Transfer(bytes, streams == 1 ? curlSeconds : wall, ShellTimes.seconds(lines.getLast()));
    }

    private static void check(String url, String status, long received, long expected) {
        if (!status.equals("200")) {
            throw new BenchmarkFailure("download of " + url + " answered HTTP " + status + " instead of 200");
        }
        if (received != expected) {
            throw new BenchmarkFailure("download of " + url + " truncated: " + received + " bytes received, "
                    + expected + " expected");
        }
    }
}

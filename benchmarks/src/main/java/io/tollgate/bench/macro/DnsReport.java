package io.tollgate.bench.macro;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown report of one DNS benchmark run: setup, results table, and both servers' configuration files. */
record DnsReport(ZonedDateTime started, Machine machine, String gatewayRevision, DnsPerf.Settings settings, int reps,
        List<DnsWorkload> workloads, Map<String, String> configs, Map<String, Integer> upstreamQueries,
        DnsResultTable table) {

    String markdown() {
        String workloadRows = workloads.stream()
                .map(w -> "| workload `" + w.name() + "` | " + w.description() + "; expected response codes: "
                        + w.expectedShares() + " |")
                .collect(Collectors.joining("\n"));
        String configSections = configs.entrySet().stream()
                .map(e -> "### " + e.getKey() + " configuration\n\n```\n" + ConfigExcerpt.of(e.getValue()) + "```\n")
                .collect(Collectors.joining("\n"));
        return """
                # DNS firewall vs unbound

                | | |
                |---|---|
                | date | %s |
                | command | `benchmarks/macro/run-dns.sh --seconds %d --reps %d --clients %d --threads %d --outstanding %d` |
                | tollgate | commit %s: the gateway JVM (the options of `gateway/jvm.options`, `worker-threads` = cores) in the gateway namespace; nftables redirects the runner's port 53 to its dns-firewall; per-runner DNS rate limit raised to %d/s so the limiter never bites |
                | unbound | %s in the gateway namespace on %s:53, `num-threads` = %d, no gateway |
                | upstream | FakeDns (testbed, dnsjava) on %s in the internet namespace, authoritative for all %d names, TTL %d s |
                | machine | `nproc` = %d (%s), kernel `%s`, load average at start %s |
                | JDK | %s |
                | load | dnsperf %s in the runner namespace: `%s` (UDP, unthrottled: a new query as soon as one of the %d in flight is answered; unanswered after %d s = lost) |
                %s
                | repetitions | %d × %d s per workload and path, tollgate and unbound alternating, after a spot check with `dig`, a cache warm-up (every allowed name once) and an uncounted %d s run of each workload per path (JIT warm-up) |

                q/s and average latency are dnsperf's. Lost %% = queries unanswered within the timeout / queries sent.
                Server CPU µs/query = user + system CPU time of the gateway JVM or of unbound during the runs / queries
                answered; dnsperf CPU µs/query the same for dnsperf (both share the same cores; softirq work is charged
                to whichever process runs). As shipped, tollgate writes one JSON event per query to its events file and
                a WARN line per blocked query to its log; unbound logs nothing (`verbosity: 0`). Every run's response codes are
                checked against the workload's expected shares (±2 points); allowed, blocked and IOC names are spot
                checked with `dig` before and after; the authoritative server received %s queries during the
                measurements and never a blocked or IOC name. Load average at the end: %s.

                %s
                %s""".formatted(
                DateTimeFormatter.ISO_INSTANT.format(started.withNano(0)), settings.seconds(), reps, settings.clients(),
                settings.threads(), settings.outstanding(), gatewayRevision, DnsPath.GATEWAY_DNS_RATE_LIMIT,
                UnboundServer.version(), DnsPath.SERVER, machine.cores(), DnsPath.UPSTREAM_IP,
                DnsNames.ALLOWED.count() + DnsNames.BLOCKED.count() + DnsNames.IOC.count(), DnsNames.TTL_SECONDS,
                machine.cores(), machine.cpuModel(), machine.kernel(), machine.loadAverage(), machine.jdk(),
                DnsPerf.version(), settings.commandLine(DnsPath.SERVER), settings.outstanding(),
                settings.timeoutSeconds(), workloadRows, reps, settings.seconds(), DnsBenchmark.WARM_UP_SECONDS,
                upstreamQueries.entrySet().stream().map(e -> e.getValue() + " (" + e.getKey() + ")")
                        .collect(Collectors.joining(" and ")),
                Machine.readLoadAverage(), table.markdown("tollgate", "unbound"), configSections);
    }
}

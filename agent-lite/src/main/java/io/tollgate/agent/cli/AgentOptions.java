package io.tollgate.agent.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code tollgate agent run}, parsed by hand: a command-line library cost the agent's JVM about 2 MiB
 * of class metadata for five options (see benchmarks/results/2026-11-23-agent-footprint.md).
 *
 * @param ipv6Gateway on a dual-stack runner the second {@code --gateway}, one of the other IP family; else null
 * @param tokenFile null when the token came from {@code --token} or the environment
 * @param token     null when {@code tokenFile} is to be read
 * @param netns     the network namespace to watch, null for every namespace
 */
record AgentOptions(URI gateway, URI otherGateway, String token, Path tokenFile, Path caFile, Path netns,
        long batchMillis) {
    AgentOptions(URI gateway, String token, Path tokenFile, Path caFile, Path netns, long batchMillis) {
        this(gateway, null, token, tokenFile, caFile, netns, batchMillis);
    }

    static final String USAGE = """
            Usage: tollgate agent run --gateway URL (--token-file FILE | --token T) [options]
            agent-lite: watch this runner's processes, connections and TLS writes and report them to the gateway
            (runs until stopped; needs root).
              --gateway URL          the gateway API's runner-facing URL, e.g. http://10.10.0.1:9901
                                     (env TOLLGATE_GATEWAY); on a dual-stack runner its IPv4 and IPv6 URLs
                                     (repeated or URL4,URL6), so IPv6 connections are reported over IPv6
              --token-file FILE      file holding an API token with role 'agent'
              --token T              the token itself (env TOLLGATE_AGENT_TOKEN); prefer --token-file
              --ca-file FILE         PEM CA certificate the gateway API's TLS certificate chains to
              --net-namespace PATH   network namespace to watch: a /proc/PID/ns/net or /run/netns/NAME path, or
                                     'all' (default: the agent's own, /proc/self/ns/net)
              --batch-interval MS    milliseconds between batches to the gateway, 10..60000 (default 100)
              -h, --help             show this help
            """;

    /** A command line the agent cannot run with; the message says what to change. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code args} are what follows {@code run}; {@code env} supplies TOLLGATE_GATEWAY and TOLLGATE_AGENT_TOKEN. */
    static AgentOptions parse(List<String> args, Map<String, String> env) throws UsageException {
        String gateway = env.get("TOLLGATE_GATEWAY");
        String given = null;
        String token = env.get("TOLLGATE_AGENT_TOKEN");
        String tokenFile = null;
        String caFile = null;
        String netns = "/proc/self/ns/net";
        String batch = "100";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            String value;
            if (name.equals(arg)) {
                if (!name.startsWith("-")) {
                    throw new UsageException("unexpected argument '" + arg + "'; tollgate agent run takes only options");
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value");
                }
                value = args.get(++i);
            } else {
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--gateway" -> given = given == null ? value : given + "," + value;
                case "--token" -> token = value;
                case "--token-file" -> tokenFile = value;
                case "--ca-file" -> caFile = value;
                case "--net-namespace" -> netns = value;
                case "--batch-interval" -> batch = value;
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        long batchMillis;
        try {
            batchMillis = Long.parseLong(batch.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--batch-interval must be a number of milliseconds, got '" + batch + "'");
        }
        if (batchMillis < 10 || batchMillis > 60_000) {
            throw new UsageException("--batch-interval must be 10..60000 ms, got " + batchMillis);
        }
        if (tokenFile == null && (token == null || token.isBlank())) {
            throw new UsageException("no agent token: pass --token-file FILE or --token T (or set"
                    + " TOLLGATE_AGENT_TOKEN); the gateway config gives it role 'agent'");
        }
        List<String> gateways = given == null ? (gateway == null ? List.of() : List.of(gateway.split(",")))
                : List.of(given.split(","));
        if (gateways.size() > 2) {
            throw new UsageException("--gateway takes one URL, or two on a dual-stack runner (its IPv4 and IPv6"
                    + " ones); got " + gateways.size());
        }
        return new AgentOptions(baseUrl(gateways.isEmpty() ? null : gateways.getFirst()),
                gateways.size() == 2 ? baseUrl(gateways.get(1)) : null, tokenFile == null ? token.strip() : null,
                tokenFile == null ? null : Path.of(tokenFile), caFile == null ? null : Path.of(caFile),
                "all".equals(netns) ? null : Path.of(netns), batchMillis);
    }

    private static URI baseUrl(String gateway) throws UsageException {
        if (gateway == null || gateway.isBlank()) {
            throw new UsageException("no gateway: pass --gateway URL (e.g. http://10.10.0.1:9901) or set"
                    + " TOLLGATE_GATEWAY");
        }
        try {
            URI uri = URI.create(gateway.strip().replaceAll("/+$", ""));
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("--gateway '" + gateway + "' is not an http(s) URL such as http://10.10.0.1:9901");
    }
}

package io.tollgate.agent.cli;

import io.tollgate.agent.Agent;
import io.tollgate.agent.bpf.BpfException;
import io.tollgate.agent.report.GatewayReporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate agent run}: agent-lite on a runner, reporting process attribution and HTTPS requests. The gateway's
 * {@code tollgate} command lists it as a subcommand; the launcher starts it through {@link #main} directly, so the
 * agent's JVM loads none of the gateway's commands.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "agent-lite: eBPF process attribution and HTTPS method + path for the gateway.",
        subcommands = {AgentCommand.Run.class})
public final class AgentCommand {
    /** {@code tollgate agent ARGS}, e.g. {@code run --gateway URL --token-file FILE}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }

    /** A problem the operator must fix; printed without a stack trace. */
    private static final class CliException extends Exception {
        CliException(String message) {
            super(message, null, false, false);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Watch this runner's processes, connections and TLS writes and report them to the gateway"
                    + " (runs until stopped; needs root).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--gateway", defaultValue = "${env:TOLLGATE_GATEWAY}",
                description = "the gateway API's runner-facing URL, e.g. http://10.10.0.1:9901 (env TOLLGATE_GATEWAY)")
        String gateway;

        @Option(names = "--token", defaultValue = "${env:TOLLGATE_AGENT_TOKEN}",
                description = "an API token with role 'agent' (env TOLLGATE_AGENT_TOKEN); prefer --token-file")
        String token;

        @Option(names = "--token-file", description = "file holding the 'agent' token")
        Path tokenFile;

        @Option(names = "--ca-file", description = "PEM CA certificate the gateway API's TLS certificate chains to")
        Path caFile;

        @Option(names = "--net-namespace", defaultValue = "/proc/self/ns/net",
                description = "network namespace to watch: a /proc/PID/ns/net or /run/netns/NAME path, or 'all'"
                        + " (default: the agent's own)")
        String netNamespace;

        @Option(names = "--batch-interval", defaultValue = "100",
                description = "milliseconds between batches to the gateway (default 100)")
        long batchMillis;

        @Override
        public Integer call() {
            try {
                run();
                return 0;
            } catch (CliException e) {
                System.err.println("tollgate: " + e.getMessage());
                return 1;
            }
        }

        private void run() throws CliException {
            URI base = baseUrl(gateway);
            String secret = secret();
            Path netns = "all".equals(netNamespace) ? null : Path.of(netNamespace);
            if (batchMillis < 10 || batchMillis > 60_000) {
                throw new CliException("--batch-interval must be 10..60000 ms, got " + batchMillis);
            }
            GatewayReporter reporter = new GatewayReporter(base, secret,
                    "https".equals(base.getScheme()) ? sslContext().getSocketFactory() : null,
                    Duration.ofMillis(batchMillis), Run::log);
            Agent agent;
            try {
                agent = Agent.start(netns, reporter, Run::log);
            } catch (BpfException e) {
                reporter.close();
                throw new CliException("agent-lite cannot start: " + e.getMessage());
            }
            log("agent-lite " + (agent.problems().isEmpty() ? "running" : "running without some features")
                    + ", watching network namespace " + (netns == null ? "all" : netns) + ", reporting to " + base);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                reporter.close();
                log("agent-lite stopped: " + agent.connectionsSeen() + " connections and " + agent.requestsSeen()
                        + " HTTPS requests seen, " + reporter.sent() + " records sent, " + reporter.dropped()
                        + " dropped, " + reporter.otherAddress() + " of other source addresses not sent, " + agent.recordsLost() + " kernel records lost");
                stopped.countDown();
            }, "agent-lite-stop"));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static URI baseUrl(String gateway) throws CliException {
            if (gateway == null || gateway.isBlank()) {
                throw new CliException("no gateway: pass --gateway URL (e.g. http://10.10.0.1:9901) or set"
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
            throw new CliException("--gateway '" + gateway + "' is not an http(s) URL such as http://10.10.0.1:9901");
        }

        private String secret() throws CliException {
            if (tokenFile != null) {
                try {
                    String text = Files.readString(tokenFile).strip();
                    if (!text.isEmpty()) {
                        return text;
                    }
                    throw new CliException("the token file " + tokenFile + " is empty");
                } catch (IOException e) {
                    throw new CliException("cannot read the token file " + tokenFile + ": " + e.getMessage());
                }
            }
            if (token == null || token.isBlank()) {
                throw new CliException("no agent token: pass --token-file FILE or --token T (or set"
                        + " TOLLGATE_AGENT_TOKEN); the gateway config gives it role 'agent'");
            }
            return token.strip();
        }

        private SSLContext sslContext() throws CliException {
            try {
                if (caFile == null) {
                    return SSLContext.getDefault();
                }
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(caFile)) {
                    int i = 0;
                    for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("ca-" + i++, ca);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new CliException("--ca-file " + caFile + " cannot be used: " + e.getMessage());
            }
        }

        private static void log(String line) {
            System.err.println(Instant.now() + " agent-lite: " + line);
        }
    }
}

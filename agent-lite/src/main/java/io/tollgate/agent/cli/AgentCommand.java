package io.tollgate.agent.cli;

import io.tollgate.agent.Agent;
import io.tollgate.agent.HeapBound;
import io.tollgate.agent.bpf.BpfException;
import io.tollgate.agent.report.AttributionSink;
import io.tollgate.agent.report.FamilyRouter;
import io.tollgate.agent.report.GatewayReporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToLongFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code tollgate agent run}: agent-lite on a runner, reporting process attribution and HTTPS requests. The launcher
 * starts it through {@link #main} directly, so the agent's JVM loads none of the gateway's commands; the gateway's
 * {@code tollgate} command hands {@code agent ...} to {@link #run}.
 */
public final class AgentCommand {
    private AgentCommand() {}

    /** {@code tollgate agent ARGS}, e.g. {@code run --gateway URL --token-file FILE}. */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /** Runs {@code tollgate agent ARGS} until the agent is stopped; returns the exit status. */
    public static int run(List<String> args) {
        if (args.isEmpty() || List.of("-h", "--help", "help").contains(args.getFirst())
                || args.getFirst().equals("run") && (args.contains("-h") || args.contains("--help"))) {
            System.out.print(AgentOptions.USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        if (!args.getFirst().equals("run")) {
            System.err.println("tollgate agent: unknown command '" + args.getFirst() + "'\n" + AgentOptions.USAGE);
            return 2;
        }
        try {
            start(AgentOptions.parse(args.subList(1, args.size()), System.getenv()));
            return 0;
        } catch (AgentOptions.UsageException e) {
            System.err.println("tollgate agent run: " + e.getMessage() + " (see tollgate agent run --help)");
            return 2;
        } catch (StartException e) {
            System.err.println("tollgate: " + e.getMessage());
            return 1;
        }
    }

    /** A problem the operator must fix before the agent can start; printed without a stack trace. */
    private static final class StartException extends Exception {
        StartException(String message) {
            super(message, null, false, false);
        }
    }

    private static void start(AgentOptions options) throws StartException {
        String secret = secret(options);
        List<URI> gateways = options.otherGateway() == null ? List.of(options.gateway())
                : List.of(options.gateway(), options.otherGateway());
        if (gateways.size() == 2 && reachedOverIpv6(gateways.get(0)) == reachedOverIpv6(gateways.get(1))) {
            throw new StartException("the two --gateway URLs " + gateways + " are of one IP family; a dual-stack"
                    + " runner gives the API's IPv4 URL and its IPv6 one");
        }
        List<GatewayReporter> reporters = new ArrayList<>();
        for (URI gateway : gateways) {
            reporters.add(new GatewayReporter(gateway, secret,
                    "https".equals(gateway.getScheme()) ? sslContext(options.caFile()).getSocketFactory() : null,
                    Duration.ofMillis(options.batchMillis()), AgentCommand::log));
        }
        AttributionSink sink = reporters.size() == 1 ? reporters.getFirst()
                : reachedOverIpv6(gateways.getFirst()) ? new FamilyRouter(reporters.get(1), reporters.getFirst())
                : new FamilyRouter(reporters.getFirst(), reporters.get(1));
        HeapBound heap;
        try {
            heap = HeapBound.fromSystemProperty();
        } catch (IllegalArgumentException e) {
            reporters.forEach(GatewayReporter::close);
            throw new StartException(e.getMessage());
        }
        Agent agent;
        try {
            agent = Agent.start(options.netns(), sink, AgentCommand::log, heap);
        } catch (BpfException e) {
            reporters.forEach(GatewayReporter::close);
            throw new StartException("agent-lite cannot start: " + e.getMessage());
        }
        log("agent-lite " + (agent.problems().isEmpty() ? "running" : "running without some features")
                + ", watching network namespace " + (options.netns() == null ? "all" : options.netns())
                + ", reporting to " + String.join(" and ", gateways.stream().map(URI::toString).toList()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            reporters.forEach(GatewayReporter::close);
            log("agent-lite stopped: " + agent.connectionsSeen() + " connections and " + agent.requestsSeen()
                    + " HTTPS requests seen, " + sum(reporters, GatewayReporter::sent) + " records sent, "
                    + sum(reporters, GatewayReporter::dropped) + " dropped, "
                    + sum(reporters, GatewayReporter::otherAddress) + " of other source addresses not sent, "
                    + agent.recordsLost() + " kernel records lost");
            stopped.countDown();
        }, "agent-lite-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long sum(List<GatewayReporter> reporters, ToLongFunction<GatewayReporter> count) {
        return reporters.stream().mapToLong(count).sum();
    }

    /** Whether the agent reaches this gateway URL over IPv6 (an IPv6 literal, or a name resolving to one first). */
    private static boolean reachedOverIpv6(URI gateway) throws StartException {
        try {
            return InetAddress.getByName(gateway.getHost()) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            throw new StartException("cannot resolve the gateway host " + gateway.getHost());
        }
    }

    private static String secret(AgentOptions options) throws StartException {
        Path file = options.tokenFile();
        if (file == null) {
            return options.token();
        }
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                throw new StartException("the token file " + file + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new StartException("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    private static SSLContext sslContext(Path caFile) throws StartException {
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
            throw new StartException("--ca-file " + caFile + " cannot be used: " + e.getMessage());
        }
    }

    private static void log(String line) {
        System.err.println(LogTime.format(System.currentTimeMillis()) + " agent-lite: " + line);
    }
}

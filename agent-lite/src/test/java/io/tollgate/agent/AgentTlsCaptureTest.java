package io.tollgate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.agent.report.HttpsRequest;
import io.tollgate.testbed.NetNs;
import io.tollgate.testbed.RootCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel and real TLS clients: curl (OpenSSL), gnutls-cli and git (libcurl-gnutls) talk HTTPS to an
 * {@code openssl s_server} inside a namespace the agent watches; the agent reports method, host and path from the
 * clients' TLS writes, with the connection's 5-tuple and the client process.
 */
@Tag("netns")
class AgentTlsCaptureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path tmp;
    private static NetNs runner;
    private static Agent agent;
    private static final CollectingSink sink = new CollectingSink();
    private static final List<String> agentLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        runner = NetNs.create("agent-tls");
        agent = Agent.start(Path.of("/run/netns", runner.name()), sink, agentLog::add);
        runner.execOrThrow(WAIT, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", tmp.resolve("key.pem").toString(),
                "-out", tmp.resolve("cert.pem").toString());
        runner.start(List.of("openssl", "s_server", "-quiet", "-www", "-accept", "8443",
                "-cert", tmp.resolve("cert.pem").toString(), "-key", tmp.resolve("key.pem").toString()),
                tmp.resolve("server.log"));
        for (int i = 0; i < 100 && !runner.exec(WAIT, "bash", "-c", "ss -ltn | grep -q ':8443 '").succeeded(); i++) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void readsMethodHostAndPathFromCurlOverOpenSsl() {
        runner.exec(WAIT, "curl", "-sk", "--http1.1", "--max-time", "2", "-X", "POST", "-d", "secret-body",
                "https://localhost:8443/repos/other-org/x/issues");

        HttpsRequest seen = sink.awaitRequest(r -> "/repos/other-org/x/issues".equals(r.path()), WAIT);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.host()).isEqualTo("localhost");
        assertThat(seen.process().exe()).isEqualTo("/usr/bin/curl");
        assertThat(seen.tuple()).isNotNull();
        assertThat(seen.tuple().destinationPort()).isEqualTo(8443);
        assertThat(seen.tuple().sourcePort()).isPositive();
        assertThat(sink.requests).noneMatch(r -> String.valueOf(r.path()).contains("secret-body"));
    }

    @Test
    void readsRequestsWrittenThroughGnuTls() {
        runner.exec(WAIT, "bash", "-c", "printf 'GET /gnutls/path HTTP/1.1\\r\\nHost: gnutls.test\\r\\n\\r\\n'"
                + " | gnutls-cli --insecure --logfile=/dev/null -p 8443 127.0.0.1");
        HttpsRequest cli = sink.awaitRequest(r -> "/gnutls/path".equals(r.path()), WAIT);
        assertThat(cli.method()).isEqualTo("GET");
        assertThat(cli.host()).isEqualTo("gnutls.test");
        assertThat(cli.process().exe()).isEqualTo("/usr/bin/gnutls-cli");

        runner.exec(WAIT, "env", "GIT_SSL_NO_VERIFY=1", "git", "ls-remote", "https://localhost:8443/acme/tool.git");
        HttpsRequest git = sink.awaitRequest(r -> String.valueOf(r.path()).startsWith("/acme/tool.git/info/refs"),
                WAIT);
        assertThat(git.method()).isEqualTo("GET");
        assertThat(git.process().exe()).isEqualTo("/usr/lib/git-core/git-remote-https");
        assertThat(git.tuple()).isNotNull();
        assertThat(git.tuple().destinationPort()).isEqualTo(8443);
    }

    @Test
    void copiesOfLibsslLoadedAfterTheAgentStartedAreCapturedToo() throws Exception {
        // by absolute path, and by a path relative to the working directory (LD_LIBRARY_PATH=lib-rel)
        capturesThroughACopy("lib-abs", "/late/absolute", true);
        capturesThroughACopy("lib-rel", "/late/relative", false);
    }

    @Test
    void anAttachedLibraryIsNotReportedAgainWhenMoreProcessesLoadIt() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("lib-repeat"));
        Path copy = dir.resolve("libssl.so.3");
        java.nio.file.Files.copy(Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3"), copy);
        Path input = tmp.resolve("lib-repeat.in");
        runner.execOrThrow(WAIT, "mkfifo", input.toString());
        // A process that loads the copy and stays (waiting on the FIFO), so the agent can attach to it.
        Process first = runner.start(List.of("bash", "-c", "exec 3<>" + input + "; LD_LIBRARY_PATH=" + dir
                + " exec openssl s_client -quiet -connect localhost:8443 <&3"), tmp.resolve("lib-repeat.log"));
        try {
            awaitLog("TLS capture on /proc/" + first.pid() + "/root" + copy);
            Thread.sleep(300); // the agent marks the file known in the kernel right after it attached
            long afterFirst = agent.libraryOpensSeen();
            for (int i = 0; i < 5; i++) {
                runner.execOrThrow(WAIT, "bash", "-c", "LD_LIBRARY_PATH=" + dir + " openssl version");
            }
            Thread.sleep(300); // longer than the agent's 50 ms collection round
            assertThat(agent.libraryOpensSeen()).as("opens of the attached file by five more processes; agent log: "
                    + agentLog).isEqualTo(afterFirst);
        } finally {
            first.destroyForcibly();
        }
    }

    private void capturesThroughACopy(String dir, String path, boolean absolute) throws Exception {
        Path copy = java.nio.file.Files.createDirectories(tmp.resolve(dir)).resolve("libssl.so.3");
        java.nio.file.Files.copy(Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3"), copy);
        Path input = tmp.resolve(dir + ".in");
        runner.execOrThrow(WAIT, "mkfifo", input.toString());

        // openssl s_client loads the copy (LD_LIBRARY_PATH) and writes with its SSL_write what arrives on the FIFO,
        // as it reads it: the request head in two TLS writes (cut inside the request line: s_server -www answers, and
        // closes, as soon as it has a whole request line). The FIFO is opened read-write so the client starts at
        // once and keeps waiting for input.
        Process client = runner.start(List.of("bash", "-c", "cd " + tmp + "; exec 3<>" + input + "; LD_LIBRARY_PATH="
                + (absolute ? tmp.resolve(dir).toString() : dir)
                + " exec openssl s_client -quiet -connect localhost:8443 <&3"), tmp.resolve(dir + ".log"));
        try {
            // What is guaranteed: writes made after the agent attached to the copy (see the README). ip netns exec,
            // bash and openssl are one process (each execs the next).
            awaitLog("TLS capture on /proc/" + client.pid() + (absolute ? "/root" + copy : "/cwd/" + dir
                    + "/libssl.so.3"));
            try (var fifo = java.nio.file.Files.newOutputStream(input)) {
                fifo.write(("GET " + path.substring(0, 5)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                fifo.flush();
                Thread.sleep(200);
                fifo.write((path.substring(5) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            HttpsRequest seen = sink.awaitRequest(r -> path.equals(r.path()), WAIT);
            assertThat(seen.process().exe()).isEqualTo("/usr/bin/openssl");
            assertThat(seen.process().pid()).isEqualTo(client.pid());
            assertThat(seen.host()).isEqualTo("localhost");
            assertThat(seen.tuple()).isNotNull();
            assertThat(seen.tuple().destinationPort()).isEqualTo(8443);
        } finally {
            client.destroyForcibly();
        }
    }

    private static void awaitLog(String line) throws InterruptedException {
        for (long deadline = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < deadline; Thread.sleep(20)) {
            if (agentLog.contains(line)) {
                return;
            }
        }
        throw new AssertionError("the agent did not log '" + line + "' within " + WAIT + "; its log: " + agentLog);
    }
}

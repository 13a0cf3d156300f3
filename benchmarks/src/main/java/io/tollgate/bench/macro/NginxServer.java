package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.NetNs;
import io.tollgate.testbed.ServerIdentity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * nginx serving the files of a directory over TLS (HTTP/1.1) on one address inside a namespace, with a certificate
 * from the testbed CA. The process is tracked by the namespace and killed when it closes.
 */
final class NginxServer {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    /** A path answered with a short body and {@code Connection: close}: one TLS connection per request. */
    static final String SMALL_PATH = "small";

    private final Path dir;
    private final Process process;

    private NginxServer(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Writes key, chain and nginx.conf into {@code dir}, starts nginx in {@code ns} and waits until it answers. */
    static NginxServer start(NetNs ns, Path dir, String host, String ip, ServerIdentity identity, Path caPem,
            Path docRoot) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("tmp"));
        Path key = dir.resolve("server-key.pem");
        Path chain = dir.resolve("server-chain.pem");
        Files.writeString(key, pkcs8Pem(identity.key()));
        Files.writeString(chain, pem(identity.certificate()) + pem(identity.ca()));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, host, ip, key, chain, docRoot));
        Process process = ns.start(List.of("nginx", "-c", conf.toString(), "-g", "daemon off;"),
                dir.resolve("nginx.out"));
        var server = new NginxServer(dir, process);
        server.awaitReady(ns, host, ip, caPem);
        return server;
    }

    /** CPU seconds of the nginx master and its workers so far. */
    double cpuSeconds() {
        return ProcCpu.treeSeconds(process.toHandle());
    }

    /** {@code nginx/1.22.1}, from {@code nginx -v}. */
    static String version() {
        try {
            Process p = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out.replace("nginx version: ", "");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The client addresses of the requests served so far, one per request, readiness probes left out. */
    List<String> clientAddresses() {
        return accessLog().stream().filter(l -> !l.endsWith(" /")).map(l -> l.split(" ", 2)[0]).toList();
    }

    /** How many requests so far came over a resumed TLS session (the server disables resumption: must be 0). */
    long resumedSessions() {
        return accessLog().stream().filter(l -> l.split(" ")[5].equals("r")).count();
    }

    /** The paths of the requests served so far, e.g. {@code /single.bin}. */
    List<String> requestPaths() {
        return accessLog().stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    }

    private List<String> accessLog() {
        try {
            Path log = dir.resolve("access.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Protocol and cipher of the last request served, e.g. {@code TLSv1.3 TLS_AES_256_GCM_SHA384}. */
    String lastTls() {
        try {
            String[] f = accessLog().getLast().split(" ");
            return f[3] + " " + f[4];
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    String errorLog() {
        try {
            Path log = dir.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read nginx error log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(NetNs ns, String host, String ip, Path caPem) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        CommandResult last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new BenchmarkFailure("nginx exited with " + process.exitValue() + ": " + output());
            }
            last = ns.exec(Duration.ofSeconds(5), "curl", "-sS", "-o", "/dev/null", "--cacert", caPem.toString(),
                    "--resolve", host + ":443:" + ip, "https://" + host + "/");
            if (last.succeeded()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new BenchmarkFailure("nginx did not answer on " + ip + ":443 within " + READY_TIMEOUT.toSeconds() + " s: "
                + (last == null ? "" : last.stderr().strip()) + "\n" + output());
    }

    private String output() {
        try {
            Path out = dir.resolve("nginx.out");
            return (Files.exists(out) ? Files.readString(out) : "") + errorLog();
        } catch (IOException e) {
            return "(no nginx output: " + e.getMessage() + ")";
        }
    }

    private static String config(Path dir, String host, String ip, Path key, Path chain, Path docRoot) {
        Path tmp = dir.resolve("tmp");
        // user root: the workers must read files in a 0700 temp dir. access_log: one short line per request, used
        // to prove which source address reached the server (the runner directly, or the gateway), and that no TLS
        // session was resumed: session cache and tickets are off, so every connection pays a full handshake.
        // SMALL_PATH closes its connection after the response, so a load generator opens one connection per request.
        // The idle workload holds thousands of connections in the middle of their handshake: enough worker connections
        // and descriptors for them, and client_header_timeout (which bounds the handshake too) longer than a run.
        return """
                user root;
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                worker_rlimit_nofile 20000;
                events { worker_connections 16384; }
                http {
                    log_format bench '$remote_addr $status $bytes_sent $ssl_protocol $ssl_cipher $ssl_session_reused $request_uri';
                    access_log %1$s/access.log bench;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    default_type application/octet-stream;
                    sendfile on;
                    tcp_nopush on;
                    keepalive_timeout 30s;
                    client_header_timeout 600s;
                    server {
                        listen %3$s:443 ssl;
                        server_name %4$s;
                        ssl_certificate %5$s;
                        ssl_certificate_key %6$s;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        ssl_session_cache off;
                        ssl_session_tickets off;
                        root %7$s;
                        location / { }
                        location = /%8$s { keepalive_timeout 0; return 200 "ok\\n"; }
                    }
                }
                """.formatted(dir, tmp, ip, host, chain, key, docRoot, SMALL_PATH);
    }

    /** PKCS#8 straight from the JDK encoding (JcaPEMWriter's output for a SunEC key is rejected by OpenSSL 3). */
    private static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String pem(Object object) throws IOException {
        Writer out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}

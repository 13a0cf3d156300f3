package io.tollgate.bench.macro;

import java.nio.file.Path;
import java.util.List;

/**
 * HAProxy in TCP mode as an SNI allowlist: it waits up to 5 s for a ClientHello ({@code tcp-request inspect-delay},
 * {@code req.ssl_hello_type 1}), relays the one allowed name ({@code req.ssl_sni}) to its static address on 443, and
 * rejects anything else (a backend whose only rule is {@code tcp-request content reject}: the runner's connection is
 * closed without relaying a byte). Idle timeouts of 10 minutes, like nginx stream's default {@code proxy_timeout}, so
 * that the idle-connections workload measures held connections rather than HAProxy closing them.
 */
record HaproxySniProxy(String listenIp, int port, String allowedHost, String upstreamIp, int threads)
        implements SniProxy.Config {

    @Override
    public String product() {
        return "haproxy";
    }

    @Override
    public String text(Path dir) {
        // `log stdout`: one line per connection (tcplog) into the process output, the counterpart of the gateway's
        // events file.
        return """
                global
                    nbthread %1$d
                    maxconn 9000
                    pidfile %2$s/haproxy.pid
                    log stdout format raw local0
                defaults
                    mode tcp
                    log global
                    option tcplog
                    timeout connect 10s
                    timeout client 10m
                    timeout server 10m
                frontend sni
                    bind %3$s:%4$d
                    tcp-request inspect-delay 5s
                    tcp-request content accept if { req.ssl_hello_type 1 }
                    use_backend allowed if { req.ssl_sni -i %5$s }
                    default_backend refused
                backend allowed
                    server origin %6$s:443
                backend refused
                    tcp-request content reject
                """.formatted(threads, dir, listenIp, port, allowedHost, upstreamIp);
    }

    @Override
    public List<String> checkCommand(Path conf) {
        return List.of("haproxy", "-c", "-q", "-f", conf.toString());
    }

    @Override
    public List<String> runCommand(Path conf) {
        return List.of("haproxy", "-db", "-f", conf.toString());
    }

    /** {@code 2.6.12-1+deb12u4}, from {@code haproxy -v}. */
    static String version() {
        return Machine.firstLine("haproxy", "-v").replaceAll("^HAProxy version (\\S+).*$", "$1");
    }
}

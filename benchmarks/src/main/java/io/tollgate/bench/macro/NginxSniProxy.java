package io.tollgate.bench.macro;

import java.nio.file.Path;
import java.util.List;

/**
 * nginx {@code stream} with {@code ssl_preread} as an SNI allowlist: a {@code map} from the ClientHello's server name
 * to the upstream, {@code allowedHost:443} for the one allowed name (resolved at connection time through
 * {@code resolver}, the same authoritative DNS the gateway asks), a closed port on loopback for anything else, so
 * nginx's upstream connect is refused and it closes the runner's connection without relaying a byte.
 */
record NginxSniProxy(String listenIp, int port, String allowedHost, String resolverIp, int workers)
        implements SniProxy.Config {
    /** Where nginx sends names it does not allow: nothing listens there (TCP port 9, discard). */
    static final String REFUSED_UPSTREAM = "127.0.0.1:9";
    private static final String STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";

    @Override
    public String product() {
        return "nginx";
    }

    @Override
    public String text(Path dir) {
        // The access log (one line per session) is the counterpart of the gateway's events file.
        return """
                load_module %1$s;
                user root;
                worker_processes %2$d;
                pid %3$s/nginx.pid;
                error_log %3$s/error.log warn;
                events { worker_connections 16384; }
                stream {
                    resolver %4$s valid=3600s ipv6=off;
                    map $ssl_preread_server_name $sni_upstream {
                        %5$s %5$s:443;
                        default %6$s;
                    }
                    log_format sni '$remote_addr $ssl_preread_server_name $upstream_addr $status $bytes_received';
                    access_log %3$s/access.log sni buffer=64k;
                    server {
                        listen %7$s:%8$d;
                        ssl_preread on;
                        preread_timeout 5s;
                        proxy_pass $sni_upstream;
                        proxy_connect_timeout 10s;
                    }
                }
                """.formatted(STREAM_MODULE, workers, dir, resolverIp, allowedHost, REFUSED_UPSTREAM, listenIp, port);
    }

    @Override
    public List<String> checkCommand(Path conf) {
        return List.of("nginx", "-t", "-q", "-c", conf.toString());
    }

    @Override
    public List<String> runCommand(Path conf) {
        return List.of("nginx", "-c", conf.toString(), "-g", "daemon off;");
    }
}

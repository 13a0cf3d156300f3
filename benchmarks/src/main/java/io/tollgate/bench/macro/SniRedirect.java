package io.tollgate.bench.macro;

import io.tollgate.testbed.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the peer proxies intercept, as users deploy nginx or HAProxy as a transparent SNI proxy: an nftables
 * {@code redirect} (DNAT to the receiving interface's own address) of the runner's TCP 443 to the proxy's port in
 * the gateway namespace, and no forwarding of anything else from the runners. The proxy then sees only the
 * ClientHello, not the original destination, and picks the upstream from the SNI alone.
 */
final class SniRedirect {
    private SniRedirect() {}

    /** The ruleset for the runner interface {@code runnerInterface}, redirecting to local {@code port}. */
    private static String ruleset(String runnerInterface, int port) {
        return """
                table inet bench_sni_redirect {
                    chain prerouting {
                        type nat hook prerouting priority dstnat; policy accept;
                        iifname "%1$s" tcp dport 443 redirect to :%2$d
                    }
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "%1$s" drop
                    }
                }
                """.formatted(runnerInterface, port);
    }

    /** Installs the ruleset in the topology's gateway namespace (removed with the namespace). */
    static void install(Topology topology, Path dir, int port) throws IOException {
        Path file = Files.createDirectories(dir).resolve("redirect.nft");
        Files.writeString(file, ruleset(topology.gatewayRunnerInterface(), port));
        topology.gateway().execOrThrow(Duration.ofSeconds(10), "nft", "-f", file.toString());
    }
}

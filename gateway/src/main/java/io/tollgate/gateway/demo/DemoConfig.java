package io.tollgate.gateway.demo;

import io.tollgate.testbed.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The embedded gateway config of the demo: one block-mode policy for the runner, a short IOC list. */
final class DemoConfig {
    static final String POLICY = "demo-build";
    static final List<String> ALLOWED_ENDPOINTS =
            List.of("registry.npmjs.org:443", "github.com:443", "objects.githubusercontent.com:443");
    static final List<String> IOC_DOMAINS = List.of("c2.evil.invalid");
    static final List<String> IOC_IPS = List.of("203.0.113.66/32");
    /** The fake internet's DNS: the gateway resolves the names it allows there. */
    static final String UPSTREAM_DNS_IP = "198.51.100.53";
    /**
     * The resolver the runner's resolv.conf names, as a job that hard-codes a public resolver would. The address exists
     * only inside the sandbox, on a DNS server that serves nothing: the gateway intercepts the runner's DNS, so it must
     * see no query.
     */
    static final String DECOY_RESOLVER_IP = "8.8.8.8";

    private DemoConfig() {}

    /** The whole YAML file for a gateway whose runner traffic arrives on {@code runnerInterface}. */
    static String yaml(String runnerInterface, Path eventsFile) {
        return """
                gateway:
                  runner-interfaces: [%s]
                  peek-timeout: 1s
                  connect-timeout: 3s
                  node-name: demo
                  upstream-dns: [%s]
                  events: {file: %s}
                policy-store: {dir: %s}
                policies:
                  - name: %s
                    sources: [%s/32]
                    egress-policy: block
                    allowed-endpoints: |
                %s
                ioc:
                  domains: [%s]
                  ips: [%s]
                """.formatted(runnerInterface, UPSTREAM_DNS_IP, eventsFile, eventsFile.resolveSibling("policies"), POLICY, Topology.RUNNER_IP,
                ALLOWED_ENDPOINTS.stream().map(e -> "      " + e).collect(Collectors.joining("\n")),
                String.join(", ", IOC_DOMAINS), String.join(", ", IOC_IPS));
    }
}

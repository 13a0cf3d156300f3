package io.tollgate.gateway.config;

import io.tollgate.policy.PolicySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A node's whole configuration file, with every default filled in. */
public record GatewayConfig(Gateway gateway, List<PolicySpec> policies, Ioc ioc, Map<String, String> endpointSets) {

    public enum NftablesMode { MANAGE, OFF }

    public record Listen(int tcp, int dns, int quic, int api) {}

    public record Gateway(
            List<String> runnerInterfaces,
            Listen listen,
            List<String> upstreamDns,
            NftablesMode nftables,
            Path eventsFile,
            Duration peekTimeout,
            Duration connectTimeout,
            int workerThreads,
            String nodeName) {}

    public record Ioc(List<String> domains, List<String> ips, List<Path> feeds) {}
}

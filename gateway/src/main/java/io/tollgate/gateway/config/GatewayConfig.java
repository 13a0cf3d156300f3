package io.tollgate.gateway.config;

import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.cluster.AwsDiscovery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node's whole configuration file, with every default filled in. */
public record GatewayConfig(Gateway gateway, Cluster cluster, List<PolicySpec> policies, Ioc ioc,
        Map<String, String> endpointSets, PolicyStore policyStore, Optional<JobOidc> jobOidc) {

    /**
     * GitHub Actions OIDC checks of job registrations ({@code gateway.jobs.oidc}).
     *
     * @param issuer the tokens' {@code iss}
     * @param audience the {@code aud} the runner's hook asks for
     * @param jwksFile the issuer's key set, kept current by the operator; or
     * @param jwksUrl where the node fetches it (at start, and again on an unknown key id)
     * @param required refuse registrations without a token (true), or only check the ones that carry one
     */
    public record JobOidc(String issuer, String audience, Optional<Path> jwksFile, Optional<URI> jwksUrl,
            boolean required) {}

    /**
     * The central policy store as seen by this node.
     *
     * @param dir where this node keeps every version of every document (a full-cluster restart reads it back)
     * @param verifyKey an Ed25519 public key (PEM): when set, only policy signed with its private key is accepted
     *     or applied
     */
    public record PolicyStore(Path dir, Optional<Path> verifyKey) {}

    public enum NftablesMode { MANAGE, OFF }

    public record Listen(int tcp, int dns, int quic, int api) {}

    /**
     * The dns-firewall's settings.
     *
     * @param bindingGrace how long an address a job resolved stays bound after its TTL ran out
     * @param minTtl bindings live at least this long (answers with tiny TTLs would otherwise churn)
     * @param maxTtl and at most this long, however long the TTL
     * @param queriesPerSecond per-runner rate limit, with {@code burst} queries of headroom
     * @param upstreamTimeout per attempt against an upstream resolver
     */
    public record Dns(Duration bindingGrace, Duration minTtl, Duration maxTtl, int queriesPerSecond, int burst,
            Duration upstreamTimeout) {}

    /** What an API token may do: {@code admin} may do everything, the others only their own kind of call. */
    public enum ApiRole {
        ADMIN, REGISTRAR, READER, AGENT;

        public boolean grants(ApiRole needed) {
            return this == ADMIN || this == needed;
        }
    }

    /** A bearer token of the operator API; the secret stays in {@code tokenFile}, never in the config. */
    public record ApiToken(String name, ApiRole role, Path tokenFile) {}

    /** The operator's own certificate chain and private key (PEM files) for HTTPS on the API port. */
    public record ApiTls(Path cert, Path key) {}

    /**
     * The operator API (health, readiness, metrics, jobs).
     *
     * @param bind the address it listens on, loopback unless the operator chooses otherwise
     * @param runnerBind runner-facing addresses of this node where runners reach job registration (and nothing
     *     else of the API); none by default
     * @param tls HTTPS settings, or {@code null} for plain HTTP
     */
    public record Api(InetAddress bind, List<InetAddress> runnerBind, List<ApiToken> tokens, ApiTls tls) {}

    /**
     * The node's embedded Hazelcast member.
     *
     * @param bind the only address it listens on: the cluster network, never one runners can reach
     * @param port its TCP port
     * @param members the peers it joins over TCP/IP; empty for a single node
     * @param backupCount synchronous backups of every shared map entry (1: losing one node loses nothing)
     * @param aws peers found through the EC2 API instead of {@code members}, or null
     */
    /**
     * @param bindingWait how long a DNS answer waits for its bindings to reach the cluster, and how long a decision
     *     waits for the cluster's bindings on a local miss (then: not bound)
     */
    public record Cluster(InetAddress bind, int port, List<InetSocketAddress> members, int backupCount,
            AwsDiscovery aws, Duration bindingWait) {
        public Cluster {
            members = List.copyOf(members);
        }
    }

    /**
     * Where events go besides the node log.
     *
     * @param file the node's JSON-lines events file
     * @param maxSize the file is rotated once it would grow past this many bytes
     * @param keep how many rotated files ({@code events.jsonl.1} … {@code .keep}) are kept
     * @param clusterCapacity how many events the cluster-wide stream {@code tollgate.events} holds, the oldest
     *     overwritten first
     */
    public record Events(Path file, long maxSize, int keep, int clusterCapacity) {}

    public record Gateway(
            List<String> runnerInterfaces,
            Listen listen,
            Api api,
            List<InetSocketAddress> upstreamDns,
            Dns dns,
            NftablesMode nftables,
            Events events,
            Duration peekTimeout,
            Duration connectTimeout,
            Duration jobMaxDuration,
            int workerThreads,
            String nodeName,
            Attribution attribution) {}

    /**
     * agent-lite's process attribution: how long a TCP event waits for its connection's process before it is
     * recorded without one (a later {@code kind: process} event follows if it still arrives), and how long the
     * cluster keeps an attribution.
     */
    public record Attribution(Duration joinWait, Duration ttl) {}

    /** @param dohResolvers public DNS-over-HTTPS/TLS resolver names blocked like IOC domains (the shipped list by default) */
    public record Ioc(List<String> domains, List<String> ips, List<Path> feeds, List<String> dohResolvers) {}
}

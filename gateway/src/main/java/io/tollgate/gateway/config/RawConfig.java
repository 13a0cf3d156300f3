package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The configuration file exactly as written; {@link ConfigLoader} validates it and fills in defaults. */
record RawConfig(
        RawGateway gateway,
        RawCluster cluster,
        List<RawPolicy> policies,
        RawIoc ioc,
        @JsonProperty("endpoint-sets") Map<String, String> endpointSets,
        @JsonProperty("policy-store") RawPolicyStore policyStore) {

    record RawPolicyStore(String dir, @JsonProperty("verify-key") String verifyKey) {}

    record RawGateway(
            @JsonProperty("runner-interfaces") List<String> runnerInterfaces,
            RawListen listen,
            RawApi api,
            @JsonProperty("upstream-dns") List<String> upstreamDns,
            RawDns dns,
            String nftables,
            RawEvents events,
            @JsonProperty("peek-timeout") String peekTimeout,
            @JsonProperty("connect-timeout") String connectTimeout,
            RawJobs jobs,
            @JsonProperty("worker-threads") Integer workerThreads,
            @JsonProperty("node-name") String nodeName,
            RawAttribution attribution) {}

    record RawAttribution(@JsonProperty("wait") String joinWait, String ttl) {}

    record RawListen(Integer tcp, Integer dns, Integer quic, Integer api) {}

    record RawApi(String bind, @JsonProperty("runner-bind") List<String> runnerBind, List<RawApiToken> tokens,
            RawApiTls tls) {}

    record RawJobs(@JsonProperty("max-duration") String maxDuration, RawOidc oidc) {}

    record RawOidc(String issuer, String audience, @JsonProperty("jwks-file") String jwksFile,
            @JsonProperty("jwks-url") String jwksUrl, Boolean required) {}

    record RawCluster(String bind, Integer port, List<String> members,
            @JsonProperty("backup-count") Integer backupCount, RawAws aws,
            @JsonProperty("binding-wait") String bindingWait) {}

    record RawAws(String region, @JsonProperty("tag-key") String tagKey, @JsonProperty("tag-value") String tagValue,
            @JsonProperty("security-group-name") String securityGroupName, @JsonProperty("iam-role") String iamRole) {}

    record RawApiToken(String name, String role, @JsonProperty("token-file") String tokenFile) {}

    record RawApiTls(String cert, String key) {}

    record RawDns(
            @JsonProperty("binding-grace") String bindingGrace,
            @JsonProperty("min-ttl") String minTtl,
            @JsonProperty("max-ttl") String maxTtl,
            @JsonProperty("queries-per-second") Integer queriesPerSecond,
            Integer burst,
            @JsonProperty("upstream-timeout") String upstreamTimeout) {}

    record RawEvents(String file, @JsonProperty("max-size") String maxSize, Integer keep,
            @JsonProperty("cluster-capacity") Integer clusterCapacity) {}

    record RawPolicy(
            String name,
            List<String> sources,
            @JsonProperty("egress-policy") String egressPolicy,
            @JsonProperty("allowed-endpoints") JsonNode allowedEndpoints,
            @JsonProperty("allowed-cidrs") List<String> allowedCidrs) {}

    record RawIoc(List<String> domains, List<String> ips, List<String> feeds,
            @JsonProperty("doh-resolvers") List<String> dohResolvers) {}
}

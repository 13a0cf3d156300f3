package io.tollgate.policy.scope;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.jobs.Job;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectivePoliciesTest {
    private static final InetAddress RUNNER = InetAddresses.forString("10.10.0.2");
    private static final InetAddress OTHER_RUNNER = InetAddresses.forString("10.10.0.3");
    private static final Job JOB = new Job("j1", "Acme/Widgets", "CI", "build", "7", 1, "r1", Instant.EPOCH, "x");

    private static CompiledPolicy policy(String name, String... sources) throws Exception {
        return new PolicyCompiler(EndpointSets.defaults())
                .compile(new PolicySpec(name, List.of(sources), "block", "github.com", List.of()));
    }

    private static Optional<String> origin(EffectivePolicies policies, InetAddress source) {
        return policies.resolve(source).map(r -> r.policy().name() + "@" + r.origin());
    }

    @Test
    void theMostSpecificScopeOfTheJobWinsWhole() throws Exception {
        Map<Scope, CompiledPolicy> docs = new HashMap<>();
        docs.put(Scope.Cluster.INSTANCE, policy("fleet"));
        docs.put(new Scope.Org("acme"), policy("acme"));
        docs.put(new Scope.Repo("acme/widgets"), policy("widgets"));
        PolicyTable config = PolicyTable.of(List.of(policy("config", "10.10.0.0/16")));
        EffectivePolicies policies = new EffectivePolicies(ScopedPolicies.of(docs), config,
                source -> source.equals(RUNNER) ? Optional.of(JOB) : Optional.empty());
        assertThat(origin(policies, RUNNER)).contains("widgets@repo:acme/widgets");
        assertThat(origin(policies, OTHER_RUNNER)).contains("fleet@cluster");

        docs.put(new Scope.JobName("acme/widgets", "CI", "build"), policy("build-job"));
        docs.put(new Scope.Workflow("acme/widgets", "CI"), policy("ci"));
        policies = new EffectivePolicies(ScopedPolicies.of(docs), config, source -> Optional.of(JOB));
        assertThat(origin(policies, RUNNER)).contains("build-job@job:acme/widgets:CI:build");
    }

    @Test
    void withoutStoreDocumentsTheConfigIsTheFleetDefault() throws Exception {
        PolicyTable config = PolicyTable.of(List.of(policy("config", "10.10.0.0/16")));
        EffectivePolicies policies = new EffectivePolicies(ScopedPolicies.of(Map.of(new Scope.Org("other"),
                policy("other"))), config, source -> Optional.of(JOB));
        assertThat(origin(policies, RUNNER)).contains("config@config");
        assertThat(policies.forSource(InetAddresses.forString("192.0.2.1"))).isEmpty();
        assertThat(new EffectivePolicies(ScopedPolicies.none(), config, source -> Optional.of(JOB))
                .forSource(RUNNER).map(CompiledPolicy::name)).contains("config");
    }
}

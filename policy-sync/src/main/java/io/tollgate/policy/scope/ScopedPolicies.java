package io.tollgate.policy.scope;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.jobs.Job;
import java.util.Map;
import java.util.Optional;

/** The compiled documents of the policy store by scope; immutable, replaced as a whole when a document changes. */
public final class ScopedPolicies {
    private static final ScopedPolicies NONE = new ScopedPolicies(Map.of());

    private final Map<Scope, CompiledPolicy> byScope;

    private ScopedPolicies(Map<Scope, CompiledPolicy> byScope) {
        this.byScope = byScope;
    }

    public static ScopedPolicies none() {
        return NONE;
    }

    public static ScopedPolicies of(Map<Scope, CompiledPolicy> byScope) {
        return byScope.isEmpty() ? NONE : new ScopedPolicies(Map.copyOf(byScope));
    }

    /** The policy of the most specific scope of {@code job} that has one. */
    public Optional<ScopedPolicy> forJob(Job job) {
        if (byScope.isEmpty()) {
            return Optional.empty();
        }
        for (Scope scope : Scope.chainFor(job)) {
            CompiledPolicy policy = byScope.get(scope);
            if (policy != null) {
                return Optional.of(new ScopedPolicy(scope, policy));
            }
        }
        return Optional.empty();
    }

    /** The cluster-wide document, which also covers runners without a registered job. */
    public Optional<ScopedPolicy> forCluster() {
        CompiledPolicy policy = byScope.get(Scope.Cluster.INSTANCE);
        return policy == null ? Optional.empty() : Optional.of(new ScopedPolicy(Scope.Cluster.INSTANCE, policy));
    }

    public Map<Scope, CompiledPolicy> all() {
        return byScope;
    }

    /** A compiled policy with the scope it was found at. */
    public record ScopedPolicy(Scope scope, CompiledPolicy policy) {}
}

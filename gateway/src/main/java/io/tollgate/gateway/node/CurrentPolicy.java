package io.tollgate.gateway.node;

import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.gateway.node.PolicyLoader.ConfigPolicy;
import io.tollgate.policy.jobs.JobView;
import io.tollgate.policy.scope.EffectivePolicies;
import io.tollgate.policy.scope.ScopedPolicies;
import io.tollgate.policy.store.PolicyRevision;
import io.tollgate.policy.store.PolicyStoreView;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot the data path reads, swapped atomically whenever the policy store's documents change on this node.
 * Readers never lock and never see half a change.
 */
final class CurrentPolicy implements Supplier<PolicySnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(CurrentPolicy.class);

    private final ConfigPolicy config;
    private final JobView jobs;
    private final GatewayMetrics metrics;
    private final AtomicReference<PolicySnapshot> current;

    CurrentPolicy(ConfigPolicy config, JobView jobs, GatewayMetrics metrics) {
        this.config = config;
        this.jobs = jobs;
        this.metrics = metrics;
        this.current = new AtomicReference<>(snapshot(ScopedPolicies.none()));
        metrics.policiesLoaded(current.get().policies().policies());
    }

    @Override
    public PolicySnapshot get() {
        return current.get();
    }

    /** Applies a change of the policy store (called on a Hazelcast event thread). */
    void apply(PolicyStoreView.Applied applied) {
        PolicySnapshot next = snapshot(applied.policies());
        current.set(next);
        metrics.policiesLoaded(next.policies().policies());
        for (PolicyRevision revision : applied.revisions()) {
            LOG.info("policy '{}' version {} ({} by {} at {}) is in force on this node{}", revision.name(),
                    revision.version(), revision.action().name().toLowerCase(Locale.ROOT),
                    revision.author(), revision.at(), revision.changes().isEmpty() ? ""
                            : ": " + String.join("; ", revision.changes()));
        }
    }

    private PolicySnapshot snapshot(ScopedPolicies scoped) {
        return new PolicySnapshot(new EffectivePolicies(scoped, config.fleetDefault(), jobs::at), config.ioc());
    }
}

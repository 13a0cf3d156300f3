package io.tollgate.gateway.node;

import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.gateway.node.PolicyLoader.ConfigPolicy;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.ioc.CentralIoc;
import io.tollgate.policy.ioc.IocList;
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
 * The snapshot the data path reads, swapped atomically whenever the policy store's documents or the central IOC list
 * change on this node.
 * Readers never lock and never see half a change.
 */
final class CurrentPolicy implements Supplier<PolicySnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(CurrentPolicy.class);

    private final ConfigPolicy config;
    private final JobView jobs;
    private final GatewayMetrics metrics;
    private final AtomicReference<PolicySnapshot> current;
    private ScopedPolicies scoped = ScopedPolicies.none();
    private IocList ioc;

    CurrentPolicy(ConfigPolicy config, JobView jobs, GatewayMetrics metrics) {
        this.config = config;
        this.jobs = jobs;
        this.metrics = metrics;
        this.ioc = config.ioc();
        this.current = new AtomicReference<>(snapshot());
        metrics.policiesLoaded(current.get().policies().policies());
    }

    @Override
    public PolicySnapshot get() {
        return current.get();
    }

    /** Applies a change of the policy store (called on a Hazelcast event thread). */
    synchronized void apply(PolicyStoreView.Applied applied) {
        scoped = applied.policies();
        PolicySnapshot next = snapshot();
        current.set(next);
        metrics.policiesLoaded(next.policies().policies());
        for (PolicyRevision revision : applied.revisions()) {
            LOG.info("policy '{}' version {} ({} by {} at {}) is in force on this node{}", revision.name(),
                    revision.version(), revision.action().name().toLowerCase(Locale.ROOT),
                    revision.author(), revision.at(), revision.changes().isEmpty() ? ""
                            : ": " + String.join("; ", revision.changes()));
        }
    }

    /**
     * Applies a version of the central IOC list. A list this node cannot compile (a feed file became unreadable)
     * keeps the previous one in force: the IOC list only ever blocks, so the error is logged, not swallowed.
     */
    synchronized void applyIoc(CentralIoc central) {
        try {
            ioc = config.iocWith(central);
        } catch (PolicyException e) {
            LOG.error("central IOC list version {} cannot be applied on this node: {}; the previous list stays in"
                    + " force", central.version(), e.getMessage());
            return;
        }
        current.set(snapshot());
        LOG.info("central IOC list version {} ({} by {}) is in force on this node: {} entries in all{}",
                central.version(), central.at(), central.author(), ioc.size(),
                central.changes().isEmpty() ? "" : ": " + String.join("; ", central.changes()));
    }

    private PolicySnapshot snapshot() {
        return new PolicySnapshot(new EffectivePolicies(scoped, config.fleetDefault(), jobs::at), ioc);
    }
}

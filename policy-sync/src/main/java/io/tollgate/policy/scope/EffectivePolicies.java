package io.tollgate.policy.scope;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyLookup;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.jobs.Job;
import io.tollgate.policy.scope.ScopedPolicies.ScopedPolicy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The effective policy of every runner address (the merge rule of the policy store):
 * <ol>
 * <li>a source with a registered job gets the document of its most specific scope: job, then workflow, then repo,
 * then org, then cluster. The chosen document applies whole; documents of wider scopes are not merged into it;</li>
 * <li>a source without a job, or whose job no document covers, gets the cluster document;</li>
 * <li>without a cluster document, the node config's policy whose {@code sources} contain the address (the fleet
 * default);</li>
 * <li>otherwise no policy: the data path blocks.</li>
 * </ol>
 * The IOC list is not part of a policy and always applies. Immutable; a new instance replaces it on every change.
 */
public final class EffectivePolicies implements PolicyLookup {
    /** Bounds the per-job memo; a fleet has far fewer concurrent jobs, so it only matters for a runaway registry. */
    private static final int MEMO_LIMIT = 16_384;

    private final ScopedPolicies scoped;
    private final PolicyTable fleetDefault;
    private final Function<InetAddress, Optional<Job>> jobs;
    private final Map<Job, Optional<Resolved>> byJob = new ConcurrentHashMap<>();

    public EffectivePolicies(ScopedPolicies scoped, PolicyTable fleetDefault,
            Function<InetAddress, Optional<Job>> jobs) {
        this.scoped = scoped;
        this.fleetDefault = fleetDefault;
        this.jobs = jobs;
    }

    @Override
    public Optional<CompiledPolicy> forSource(InetAddress source) {
        return resolve(source).map(Resolved::policy);
    }

    /** The effective policy of {@code source} with where it came from. */
    public Optional<Resolved> resolve(InetAddress source) {
        Optional<Job> job = scoped.all().isEmpty() ? Optional.empty() : jobs.apply(source);
        if (job.isPresent()) {
            Optional<Resolved> fromJob = byJob.get(job.get());
            if (fromJob == null) {
                fromJob = scoped.forJob(job.get()).map(Resolved::fromStore);
                if (byJob.size() < MEMO_LIMIT) {
                    byJob.put(job.get(), fromJob);
                }
            }
            if (fromJob.isPresent()) {
                return fromJob;
            }
        }
        Optional<ScopedPolicy> cluster = scoped.forCluster();
        if (cluster.isPresent()) {
            return cluster.map(Resolved::fromStore);
        }
        return fleetDefault.forSource(source).map(policy -> new Resolved(policy, "config"));
    }

    /** Every policy a node may apply: the store's documents, then the config's fleet defaults. */
    public List<CompiledPolicy> policies() {
        List<CompiledPolicy> all = new ArrayList<>(scoped.all().values());
        all.addAll(fleetDefault.policies());
        return all;
    }

    public ScopedPolicies scoped() {
        return scoped;
    }

    public PolicyTable fleetDefault() {
        return fleetDefault;
    }

    /** A policy and its origin: a scope label such as {@code repo:acme/widgets}, or {@code config}. */
    public record Resolved(CompiledPolicy policy, String origin) {
        static Resolved fromStore(ScopedPolicy scoped) {
            return new Resolved(scoped.policy(), scoped.scope().label());
        }
    }
}

package io.tollgate.policy;

import io.tollgate.policy.match.CidrTrie;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * All compiled policies of a fleet, indexed by source network: a runner address gets the policy with the most
 * specific source CIDR containing it. Policy names are unique and no network is the source of two policies.
 * Immutable; swap a whole table to change policy.
 */
public final class PolicyTable implements PolicyLookup {
    private final List<CompiledPolicy> policies;
    private final CidrTrie<CompiledPolicy> bySource;

    private PolicyTable(List<CompiledPolicy> policies, CidrTrie<CompiledPolicy> bySource) {
        this.policies = policies;
        this.bySource = bySource;
    }

    public static PolicyTable of(List<CompiledPolicy> policies) throws PolicyException {
        Set<String> names = new HashSet<>();
        CidrTrie.Builder<CompiledPolicy> bySource = CidrTrie.builder();
        for (CompiledPolicy policy : policies) {
            if (!names.add(policy.name())) {
                throw new PolicyException("policy name '" + policy.name() + "' is used by two policies; names must be"
                        + " unique");
            }
            for (Cidr source : policy.sources()) {
                CompiledPolicy owner = bySource.get(source);
                if (owner != null && owner != policy) {
                    throw new PolicyException("policy '" + policy.name() + "' sources", 0, source.toString(),
                            "already the source of policy '" + owner.name() + "'; give each network to one policy");
                }
                bySource.put(source, policy, (kept, same) -> kept);
            }
        }
        return new PolicyTable(List.copyOf(policies), bySource.build());
    }

    /** The policy whose most specific source network contains {@code source}. */
    @Override
    public Optional<CompiledPolicy> forSource(InetAddress source) {
        return Optional.ofNullable(bySource.longestMatch(source));
    }

    public List<CompiledPolicy> policies() {
        return policies;
    }
}

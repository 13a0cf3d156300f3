package io.tollgate.policy;

import io.tollgate.policy.match.EndpointMatcher;
import java.util.List;

/**
 * A validated policy ready for the data path. {@code version} is a short content hash: equal policies have
 * equal versions whatever the formatting of their source text.
 */
public record CompiledPolicy(String name, String version, List<Cidr> sources, EgressMode mode,
        EndpointMatcher matcher) {

    public CompiledPolicy {
        sources = List.copyOf(sources);
    }
}

package io.tollgate.policy;

import java.util.List;

/** A policy as written in the YAML config, before validation; {@link PolicyCompiler} turns it into a {@link CompiledPolicy}. */
public record PolicySpec(String name, List<String> sources, String egressPolicy, String allowedEndpoints,
        List<String> allowedCidrs) {
}

package io.tollgate.policy;

import java.net.InetAddress;
import java.util.Optional;

/** Finds the policy that governs a runner address; the data path's only question about policy. */
@FunctionalInterface
public interface PolicyLookup {
    Optional<CompiledPolicy> forSource(InetAddress source);
}

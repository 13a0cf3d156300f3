package io.tollgate.gateway.decide;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Where the DNS evidence for a connection comes from: the job's own DNS answers, and the gateway's own resolution. */
public interface DestinationNames {
    /**
     * Names this runner's DNS answers bound to {@code destination}, unexpired, lower case: at once from this node's
     * bindings when they hold {@code name} (any name when {@code name} is null), else after asking the other nodes
     * (bounded in time; nothing more found on timeout). Never fails.
     */
    CompletionStage<Set<String>> boundNames(InetAddress source, InetAddress destination, String name);

    /** Whether a fresh resolution of {@code name} (cached within its TTL) contains {@code destination}; never fails. */
    CompletionStage<Boolean> resolvesTo(String name, InetAddress destination);
}

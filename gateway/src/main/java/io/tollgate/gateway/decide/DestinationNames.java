package io.tollgate.gateway.decide;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Where the DNS evidence for a connection comes from: the job's own DNS answers, and the gateway's own resolution. */
public interface DestinationNames {
    /** Names this runner's DNS answers bound to {@code destination}, unexpired, lower case. */
    Set<String> boundNames(InetAddress source, InetAddress destination);

    /** Whether a fresh resolution of {@code name} (cached within its TTL) contains {@code destination}; never fails. */
    CompletionStage<Boolean> resolvesTo(String name, InetAddress destination);
}

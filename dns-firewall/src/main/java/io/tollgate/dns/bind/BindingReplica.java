package io.tollgate.dns.bind;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a node shares the bindings its dns-firewall makes with the other gateway nodes, because a runner's DNS and
 * its connections may reach different nodes. Both calls are asynchronous, bounded in time, and never fail: a write
 * that did not finish in time completes anyway, a look-up that did not finish in time finds nothing (fail closed).
 */
public interface BindingReplica {
    /** A single node: nothing is shared, nothing is found. */
    BindingReplica NONE = new BindingReplica() {
        @Override
        public CompletionStage<Void> share(InetAddress source, String name, InetAddress address, long expiresAt) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Map<String, Long>> lookup(InetAddress source, InetAddress address) {
            return CompletableFuture.completedFuture(Map.of());
        }
    };

    /** Shares that {@code source} bound {@code name} to {@code address} until {@code expiresAt} (epoch ms). */
    CompletionStage<Void> share(InetAddress source, String name, InetAddress address, long expiresAt);

    /** The names (with their expiry, epoch ms) other nodes bound to {@code address} for {@code source}. */
    CompletionStage<Map<String, Long>> lookup(InetAddress source, InetAddress address);
}

package io.tollgate.dns.bind;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which addresses each runner legitimately learned from DNS, and for which names: the evidence the gateway's
 * decision rules 3–5 check a connection's destination against. A binding lives for its answer's TTL (clamped by
 * {@link BindingLimits}) plus a grace period; binding again extends it. Thread-safe: each runner's bindings are
 * guarded by their own monitor, so runners never wait for each other.
 * <p>
 * In a cluster every binding is also shared through a {@link BindingReplica}, and a look-up this node cannot answer
 * from its own bindings asks the replica ({@link #lookup}); what it finds is kept here until it expires.
 */
public final class DnsBindingTable {
    private final Clock clock;
    private final BindingLimits limits;
    private final BindingReplica replica;
    private final ConcurrentMap<InetAddress, SourceBindings> bySource = new ConcurrentHashMap<>();

    /** A table of this node's own bindings only. */
    public DnsBindingTable(Clock clock, BindingLimits limits) {
        this(clock, limits, BindingReplica.NONE);
    }

    public DnsBindingTable(Clock clock, BindingLimits limits, BindingReplica replica) {
        this.clock = clock;
        this.limits = limits;
        this.replica = replica;
    }

    /**
     * Records that {@code source} was told {@code name} has {@code address}, valid for {@code ttlSeconds}, and shares
     * it; the stage completes when the other nodes can see it (or the replica's time bound ran out). Binding again
     * extends a binding (never shortens it), in steps of at least {@link #refreshStep()}: repeated answers (a busy job
     * asking for the same name) cost the cluster at most one write per step, and the answers in between never wait.
     */
    public CompletionStage<Void> bind(InetAddress source, String name, InetAddress address, long ttlSeconds) {
        long now = clock.millis();
        long expiresAt = now + limits.lifetime(ttlSeconds).toMillis();
        long step = refreshStep();
        String key = normalize(name);
        boolean[] extended = new boolean[1];
        bySource.compute(source, (s, bindings) -> {
            SourceBindings b = bindings == null ? new SourceBindings() : bindings;
            synchronized (b) {
                if (b.expiry(key, address) < expiresAt - step) {
                    b.bind(key, address, expiresAt, now, limits);
                    extended[0] = true;
                }
            }
            return b;
        });
        return extended[0] ? replica.share(source, key, address, expiresAt) : CompletableFuture.completedFuture(null);
    }

    /** Half the grace, at most 30 s: skipping a smaller extension still leaves half the grace after the TTL. */
    private long refreshStep() {
        return Math.min(limits.grace().toMillis() / 2, 30_000);
    }

    /**
     * The names bound to {@code address} for {@code source}: from this node's bindings when they have {@code wanted}
     * (or, with no wanted name, any name), else also from the other nodes' (bounded in time by the replica; nothing
     * found on timeout). Names found elsewhere are kept here until they expire.
     */
    public CompletionStage<Set<String>> lookup(InetAddress source, InetAddress address, String wanted) {
        Set<String> local = namesFor(source, address);
        if (wanted == null ? !local.isEmpty() : local.contains(normalize(wanted))) {
            return CompletableFuture.completedFuture(local);
        }
        return replica.lookup(source, address).thenApply(shared -> {
            long now = clock.millis();
            Set<String> names = new HashSet<>(local);
            shared.forEach((name, expiresAt) -> {
                if (expiresAt > now) {
                    bindLocally(source, name, address, expiresAt, now);
                    names.add(name);
                }
            });
            return Set.copyOf(names);
        });
    }

    private void bindLocally(InetAddress source, String key, InetAddress address, long expiresAt, long now) {
        bySource.compute(source, (s, bindings) -> {
            SourceBindings b = bindings == null ? new SourceBindings() : bindings;
            synchronized (b) {
                b.bind(key, address, expiresAt, now, limits);
            }
            return b;
        });
    }

    /** The unexpired names (lower case, no trailing dot) that {@code source}'s DNS answers bound to {@code address}. */
    public Set<String> namesFor(InetAddress source, InetAddress address) {
        SourceBindings b = bySource.get(source);
        if (b == null) {
            return Set.of();
        }
        long now = clock.millis();
        synchronized (b) {
            return Set.copyOf(b.namesFor(address, now));
        }
    }

    public boolean isBound(InetAddress source, InetAddress address, String name) {
        SourceBindings b = bySource.get(source);
        if (b == null) {
            return false;
        }
        long now = clock.millis();
        synchronized (b) {
            return b.isBound(address, normalize(name), now);
        }
    }

    /** Bindings held (source, address, name), counting expired ones until {@link #purgeExpired()} removes them. */
    public int size() {
        int total = 0;
        for (SourceBindings b : bySource.values()) {
            synchronized (b) {
                total += b.size();
            }
        }
        return total;
    }

    /** Drops expired bindings, and runners left with none; call it periodically. */
    public void purgeExpired() {
        long now = clock.millis();
        for (InetAddress source : bySource.keySet()) {
            bySource.computeIfPresent(source, (s, b) -> {
                synchronized (b) {
                    b.purgeExpired(now);
                    return b.size() == 0 ? null : b;
                }
            });
        }
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}

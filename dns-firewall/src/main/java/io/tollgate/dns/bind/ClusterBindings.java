package io.tollgate.dns.bind;

import com.google.common.net.InetAddresses;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's bindings, {@value #MAP}: {@code "<runner address>|<bound address>"} → names with their expiry (epoch
 * ms). An entry lives until its latest name expires (the entry's own TTL, up to 2 s more), so the map never needs a
 * sweeper. Writes merge on the entry's owner, so two nodes binding different names to one address keep both.
 */
public final class ClusterBindings implements BindingReplica {
    public static final String MAP = "tollgate.bindings";
    /** Names one runner may hold for one address in the shared map; the soonest-expiring make room. */
    static final int MAX_NAMES_PER_ENTRY = 64;

    private final IMap<String, HashMap<String, Long>> bindings;
    private final Duration shareTimeout;
    private final Duration lookupTimeout;

    /**
     * @param shareTimeout how long a DNS answer waits for its bindings to reach the cluster before it is sent anyway
     * @param lookupTimeout how long a connection's decision waits for the cluster on a local miss (then: not bound)
     */
    public ClusterBindings(HazelcastInstance hazelcast, Duration shareTimeout, Duration lookupTimeout) {
        this.bindings = hazelcast.getMap(MAP);
        this.shareTimeout = shareTimeout;
        this.lookupTimeout = lookupTimeout;
    }

    @Override
    public CompletionStage<Void> share(InetAddress source, String name, InetAddress address, long expiresAt) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            bindings.submitToKey(key(source, address), new MergeName(name, expiresAt))
                    .whenComplete((ignored, failure) -> written.complete(null));
        } catch (RuntimeException notRunning) {
            written.complete(null);
        }
        return written.completeOnTimeout(null, shareTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<Map<String, Long>> lookup(InetAddress source, InetAddress address) {
        CompletableFuture<Map<String, Long>> found = new CompletableFuture<>();
        try {
            bindings.getAsync(key(source, address)).whenComplete((names, failure) ->
                    found.complete(failure != null || names == null ? Map.of() : Map.copyOf(names)));
        } catch (RuntimeException notRunning) {
            found.complete(Map.of());
        }
        return found.completeOnTimeout(Map.of(), lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String key(InetAddress source, InetAddress address) {
        return InetAddresses.toAddrString(source) + "|" + InetAddresses.toAddrString(address);
    }

    /** Adds one name to an entry on its owner (and, the same way, on its backups), dropping expired names. */
    record MergeName(String name, long expiresAt) implements EntryProcessor<String, HashMap<String, Long>, Void> {
        @Override
        public Void process(Map.Entry<String, HashMap<String, Long>> entry) {
            long now = System.currentTimeMillis();
            HashMap<String, Long> names = entry.getValue() == null ? new HashMap<>() : new HashMap<>(entry.getValue());
            names.values().removeIf(expiry -> expiry <= now);
            names.merge(name, expiresAt, Math::max);
            while (names.size() > MAX_NAMES_PER_ENTRY) {
                names.entrySet().stream().min(Map.Entry.comparingByValue())
                        .ifPresent(soonest -> names.remove(soonest.getKey()));
            }
            long latest = names.values().stream().mapToLong(Long::longValue).max().orElse(now);
            if (latest <= now) {
                entry.setValue(null);
            } else {
                // Hazelcast counts the TTL from the update time truncated to the second, so an entry could expire up
                // to a second before its latest name: round up and add that second. Readers check each name's own
                // expiry, so the entry outliving its names by up to 2 s changes nothing.
                ((ExtendedMapEntry<String, HashMap<String, Long>>) entry).setValue(names,
                        (latest - now + 999) / 1000 + 1, TimeUnit.SECONDS);
            }
            return null;
        }
    }
}

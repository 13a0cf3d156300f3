package io.tollgate.gateway.attribution;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes attributions into the cluster map {@value #MAP} (connection key → process) with a short time to live: long
 * enough for every node's join to see them, short enough that the map holds only live connections' worth.
 */
public final class AttributionStore {
    public static final String MAP = "tollgate.attribution";

    private final IMap<String, AttributedProcess> map;
    private final Duration ttl;

    public AttributionStore(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttl = ttl;
    }

    /** Stores every entry; completes when the cluster has them all. */
    public CompletableFuture<Void> putAll(Map<String, AttributedProcess> entries) {
        List<CompletableFuture<Void>> writes = new ArrayList<>(entries.size());
        entries.forEach((key, process) -> writes.add(
                map.setAsync(key, process, ttl.toMillis(), TimeUnit.MILLISECONDS).toCompletableFuture()));
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }
}

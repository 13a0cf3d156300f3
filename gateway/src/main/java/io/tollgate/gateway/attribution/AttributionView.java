package io.tollgate.gateway.attribution;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This node's copy of {@value AttributionStore#MAP}, kept by an entry listener (like JobView), so the data path looks
 * an attribution up without waiting on the cluster, and can ask to be told when one arrives.
 */
public final class AttributionView {
    private static final int MAX_ENTRIES = 500_000;

    private final Map<String, AttributedProcess> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Consumer<AttributedProcess>> waiting = new ConcurrentHashMap<>();
    /** Runner addresses whose agent has reported since this node started: only their connections are worth a wait. */
    private final Set<String> sourcesWithAgents = ConcurrentHashMap.newKeySet();

    private AttributionView() {}

    public static AttributionView follow(HazelcastInstance hazelcast) {
        AttributionView view = new AttributionView();
        IMap<String, AttributedProcess> map = hazelcast.getMap(AttributionStore.MAP);
        map.addEntryListener(view.new Listener(), true);
        return view;
    }

    /** The process of a connection, if its attribution has arrived. */
    public AttributedProcess get(String key) {
        return byConnection.get(key);
    }

    /**
     * Calls {@code onArrival} once when the attribution of {@code key} arrives (at once if it is already here).
     * A later {@link #stopWaiting} cancels it. One waiter per connection.
     */
    public void whenArrives(String key, Consumer<AttributedProcess> onArrival) {
        waiting.put(key, onArrival);
        AttributedProcess known = byConnection.get(key);
        if (known != null && waiting.remove(key, onArrival)) {
            onArrival.accept(known);
        }
    }

    public void stopWaiting(String key, Consumer<AttributedProcess> onArrival) {
        waiting.remove(key, onArrival);
    }

    /** Whether the runner that opened the connection {@code key} has an agent (one has reported since start). */
    public boolean hasAgent(String key) {
        return !sourcesWithAgents.isEmpty() && sourcesWithAgents.contains(ConnectionKey.source(key));
    }

    public int waiters() {
        return waiting.size();
    }

    private void arrived(String key, AttributedProcess process) {
        if (sourcesWithAgents.size() < MAX_ENTRIES) {
            sourcesWithAgents.add(ConnectionKey.source(key));
        }
        store(key, process);
        String udpSource = ConnectionKey.udpSourceOf(key);
        if (udpSource != null) {
            store(udpSource, process); // a DNS query is known by its source only
        }
    }

    private void store(String key, AttributedProcess process) {
        if (byConnection.size() < MAX_ENTRIES || byConnection.containsKey(key)) {
            byConnection.put(key, process);
        }
        Consumer<AttributedProcess> waiter = waiting.remove(key);
        if (waiter != null) {
            waiter.accept(process);
        }
    }

    private void gone(String key) {
        byConnection.remove(key);
        String udpSource = ConnectionKey.udpSourceOf(key);
        if (udpSource != null) {
            byConnection.remove(udpSource);
        }
    }

    private final class Listener implements EntryAddedListener<String, AttributedProcess>,
            EntryUpdatedListener<String, AttributedProcess>, EntryRemovedListener<String, AttributedProcess>,
            EntryExpiredListener<String, AttributedProcess>, EntryEvictedListener<String, AttributedProcess> {
        @Override
        public void entryAdded(EntryEvent<String, AttributedProcess> event) {
            arrived(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, AttributedProcess> event) {
            arrived(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, AttributedProcess> event) {
            gone(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, AttributedProcess> event) {
            gone(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, AttributedProcess> event) {
            gone(event.getKey());
        }
    }
}

package io.tollgate.policy.ioc;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.UUID;
import java.util.function.Consumer;

/** Follows the central IOC list and hands every version to {@code onChange}, starting with the current one. */
public final class IocView implements AutoCloseable {
    private final IMap<String, CentralIoc> map;
    private final UUID listener;

    private IocView(IMap<String, CentralIoc> map, UUID listener) {
        this.map = map;
        this.listener = listener;
    }

    public static IocView follow(HazelcastInstance hazelcast, Consumer<CentralIoc> onChange) {
        IMap<String, CentralIoc> map = hazelcast.getMap(IocStore.MAP);
        UUID id = map.addEntryListener(new Listener(onChange), true);
        CentralIoc current = map.get(IocStore.KEY);
        if (current != null) {
            onChange.accept(current);
        }
        return new IocView(map, id);
    }

    @Override
    public void close() {
        try {
            map.removeEntryListener(listener);
        } catch (RuntimeException e) {
            // the member is already shutting down
        }
    }

    private record Listener(Consumer<CentralIoc> onChange) implements EntryAddedListener<String, CentralIoc>,
            EntryUpdatedListener<String, CentralIoc> {
        @Override
        public void entryAdded(EntryEvent<String, CentralIoc> event) {
            onChange.accept(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, CentralIoc> event) {
            onChange.accept(event.getValue());
        }
    }
}

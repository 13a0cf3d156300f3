package io.tollgate.policy.jobs;

import com.google.common.net.InetAddresses;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of {@value JobRegistry#MAP}, kept current by an entry listener, so the data path finds the job of
 * a source address with one hash look-up and never waits on the cluster. It trails the map by the listener's delivery
 * (well under a millisecond on one node).
 */
public final class JobView {
    private final Map<InetAddress, Job> bySource = new ConcurrentHashMap<>();

    private JobView() {}

    /** Starts following the cluster's jobs, beginning with those already registered. */
    public static JobView follow(HazelcastInstance hazelcast) {
        JobView view = new JobView();
        IMap<String, Job> jobs = hazelcast.getMap(JobRegistry.MAP);
        jobs.addEntryListener(view.new Listener(), true);
        jobs.forEach((ip, job) -> view.bySource.putIfAbsent(address(ip), job));
        return view;
    }

    /** The job running at {@code source}, if one is registered. */
    public Optional<Job> at(InetAddress source) {
        return Optional.ofNullable(bySource.get(source));
    }

    private static InetAddress address(String key) {
        return InetAddresses.forString(key);
    }

    private final class Listener implements EntryAddedListener<String, Job>, EntryUpdatedListener<String, Job>,
            EntryRemovedListener<String, Job>, EntryExpiredListener<String, Job>, EntryEvictedListener<String, Job> {
        @Override
        public void entryAdded(EntryEvent<String, Job> event) {
            bySource.put(address(event.getKey()), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, Job> event) {
            bySource.put(address(event.getKey()), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, Job> event) {
            bySource.remove(address(event.getKey()));
        }

        @Override
        public void entryExpired(EntryEvent<String, Job> event) {
            bySource.remove(address(event.getKey()));
        }

        @Override
        public void entryEvicted(EntryEvent<String, Job> event) {
            bySource.remove(address(event.getKey()));
        }
    }
}

package io.tollgate.policy.ioc;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.tollgate.policy.PolicyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Changes the central IOC list: entries are validated as the data path will read them, added or removed in one
 * versioned change under a cluster-wide lock, with author and time. Calls wait on the cluster: not on an event loop.
 */
public final class IocStore {
    public static final String MAP = "tollgate.ioc";
    static final String KEY = "central";
    private static final long LOCK_LEASE_SECONDS = 30;

    private final IMap<String, CentralIoc> map;
    private final Clock clock;

    public IocStore(HazelcastInstance hazelcast, Clock clock) {
        this.map = hazelcast.getMap(MAP);
        this.clock = clock;
    }

    public CentralIoc current() {
        return Optional.ofNullable(map.get(KEY)).orElseGet(CentralIoc::empty);
    }

    /**
     * Adds and removes entries in one change.
     *
     * @throws PolicyException naming the first entry that is not a domain, address or network
     */
    public CentralIoc change(List<String> addDomains, List<String> addIps, List<String> remove, String author)
            throws PolicyException {
        IocList.of(addDomains, addIps, List.of());
        map.lock(KEY, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        try {
            CentralIoc before = current();
            Set<String> domains = new LinkedHashSet<>(before.domains());
            Set<String> ips = new LinkedHashSet<>(before.ips());
            List<String> changes = new ArrayList<>();
            for (String domain : addDomains) {
                if (domains.add(domain.strip())) {
                    changes.add("+ " + domain.strip());
                }
            }
            for (String ip : addIps) {
                if (ips.add(ip.strip())) {
                    changes.add("+ " + ip.strip());
                }
            }
            for (String entry : remove) {
                if (domains.remove(entry.strip()) || ips.remove(entry.strip())) {
                    changes.add("- " + entry.strip());
                }
            }
            if (changes.isEmpty()) {
                return before;
            }
            CentralIoc after = new CentralIoc(List.copyOf(domains), List.copyOf(ips), before.version() + 1, author,
                    clock.instant(), changes);
            map.set(KEY, after);
            return after;
        } finally {
            map.unlock(KEY);
        }
    }

    /** Puts a list read from a node's disk back after a full-cluster restart, unless the cluster has a newer one. */
    public boolean restore(CentralIoc fromDisk) {
        map.lock(KEY, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        try {
            if (current().version() >= fromDisk.version()) {
                return false;
            }
            map.set(KEY, fromDisk);
            return true;
        } finally {
            map.unlock(KEY);
        }
    }
}

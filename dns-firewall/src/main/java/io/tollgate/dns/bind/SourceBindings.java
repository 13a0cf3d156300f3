package io.tollgate.dns.bind;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bindings of one runner address, indexed both ways: by address for the gateway's lookups, by name to enforce the
 * limits. Expiry times are epoch milliseconds. Every method must be called with this object's monitor held.
 */
final class SourceBindings {
    private final Map<InetAddress, Map<String, Long>> byAddress = new HashMap<>();
    private final Map<String, Map<InetAddress, Long>> byName = new HashMap<>();
    private int size;

    void bind(String name, InetAddress address, long expiresAt, long now, BindingLimits limits) {
        Map<InetAddress, Long> addresses = byName.get(name);
        if (addresses == null) {
            if (byName.size() >= limits.maxNamesPerSource()) {
                purgeExpired(now);
            }
            if (byName.size() >= limits.maxNamesPerSource()) {
                removeName(nameExpiringFirst());
            }
            addresses = new HashMap<>();
            byName.put(name, addresses);
        }
        Long previous = addresses.get(address);
        if (previous != null) {
            if (expiresAt > previous) {
                addresses.put(address, expiresAt);
                byAddress.get(address).put(name, expiresAt);
            }
            return;
        }
        if (addresses.size() >= limits.maxAddressesPerName()) {
            removeExpired(name, addresses, now);
        }
        if (addresses.size() >= limits.maxAddressesPerName()) {
            remove(name, soonest(addresses));
        }
        addresses.put(address, expiresAt);
        byAddress.computeIfAbsent(address, a -> new HashMap<>()).put(name, expiresAt);
        size++;
    }

    Set<String> namesFor(InetAddress address, long now) {
        Map<String, Long> names = byAddress.get(address);
        if (names == null) {
            return Set.of();
        }
        Set<String> live = new HashSet<>();
        names.forEach((name, expiresAt) -> {
            if (expiresAt > now) {
                live.add(name);
            }
        });
        return live;
    }

    /** When {@code name}'s binding to {@code address} expires (epoch ms), or 0 when there is none. */
    long expiry(String name, InetAddress address) {
        Map<InetAddress, Long> addresses = byName.get(name);
        Long expiresAt = addresses == null ? null : addresses.get(address);
        return expiresAt == null ? 0 : expiresAt;
    }

    boolean isBound(InetAddress address, String name, long now) {
        Map<String, Long> names = byAddress.get(address);
        Long expiresAt = names == null ? null : names.get(name);
        return expiresAt != null && expiresAt > now;
    }

    int size() {
        return size;
    }

    void purgeExpired(long now) {
        for (String name : Set.copyOf(byName.keySet())) {
            removeExpired(name, byName.get(name), now);
        }
    }

    private void removeExpired(String name, Map<InetAddress, Long> addresses, long now) {
        for (Map.Entry<InetAddress, Long> entry : Map.copyOf(addresses).entrySet()) {
            if (entry.getValue() <= now) {
                remove(name, entry.getKey());
            }
        }
    }

    private String nameExpiringFirst() {
        String first = null;
        long firstExpiry = Long.MAX_VALUE;
        for (Map.Entry<String, Map<InetAddress, Long>> entry : byName.entrySet()) {
            long latest = entry.getValue().values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
            if (first == null || latest < firstExpiry) {
                first = entry.getKey();
                firstExpiry = latest;
            }
        }
        return first;
    }

    private static InetAddress soonest(Map<InetAddress, Long> addresses) {
        return addresses.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private void removeName(String name) {
        for (InetAddress address : Set.copyOf(byName.get(name).keySet())) {
            remove(name, address);
        }
    }

    private void remove(String name, InetAddress address) {
        Map<InetAddress, Long> addresses = byName.get(name);
        if (addresses.remove(address) == null) {
            return;
        }
        size--;
        if (addresses.isEmpty()) {
            byName.remove(name);
        }
        Map<String, Long> names = byAddress.get(address);
        names.remove(name);
        if (names.isEmpty()) {
            byAddress.remove(address);
        }
    }
}

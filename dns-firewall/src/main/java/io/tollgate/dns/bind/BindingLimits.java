package io.tollgate.dns.bind;

import java.time.Duration;

/**
 * How long and how many DNS bindings a runner keeps.
 *
 * @param grace added to every (clamped) TTL, so a connection opened just after the answer expired still passes
 * @param minTtl TTLs below this are raised to it (a TTL of 0 must not make an answer useless at once)
 * @param maxTtl TTLs above this are lowered to it (a week-long TTL must not pin an address for a week)
 * @param maxAddressesPerName addresses one name may hold for one runner; the soonest-expiring one makes room
 * @param maxNamesPerSource names one runner may hold; the name expiring soonest makes room
 */
public record BindingLimits(Duration grace, Duration minTtl, Duration maxTtl, int maxAddressesPerName,
        int maxNamesPerSource) {

    public BindingLimits {
        if (grace.isNegative() || minTtl.isNegative() || maxTtl.compareTo(minTtl) < 0) {
            throw new IllegalArgumentException("binding limits need grace >= 0 and 0 <= minTtl <= maxTtl, got grace "
                    + grace + ", minTtl " + minTtl + ", maxTtl " + maxTtl);
        }
        if (maxAddressesPerName < 1 || maxNamesPerSource < 1) {
            throw new IllegalArgumentException("binding limits need at least one address per name and one name per"
                    + " source, got " + maxAddressesPerName + " and " + maxNamesPerSource);
        }
    }

    public static BindingLimits defaults() {
        return new BindingLimits(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1), 64, 10_000);
    }

    /** How long a binding made now from an answer with {@code ttlSeconds} lives. */
    Duration lifetime(long ttlSeconds) {
        Duration ttl = Duration.ofSeconds(Math.max(0, ttlSeconds));
        Duration clamped = ttl.compareTo(minTtl) < 0 ? minTtl : ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
        return clamped.plus(grace);
    }
}

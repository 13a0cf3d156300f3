package io.tollgate.dns;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per runner address. While a runner is over its limit, one refusal per second is marked for
 * reporting, so a flood produces one event per second rather than one per query.
 */
final class SourceRateLimiter {
    /** Above this many tracked runners, buckets that have refilled completely (idle runners) are dropped. */
    private static final int TRACKED_SOURCES_BEFORE_SWEEP = 65_536;
    private static final long REPORT_INTERVAL_MILLIS = 1000;
    private static final long SWEEP_INTERVAL_MILLIS = 1000;

    /**
     * @param report whether this refusal should be reported
     * @param refusedSinceReport refusals of this runner not reported individually since the last report
     */
    record Admission(boolean admitted, boolean report, long refusedSinceReport) {
        static final Admission ADMITTED = new Admission(true, false, 0);
    }

    private final class Bucket {
        private double tokens = limits.burst();
        private long refilledAt;
        private long reportedAt = Long.MIN_VALUE;
        private long unreported;

        Bucket(long now) {
            refilledAt = now;
        }

        synchronized Admission take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Admission.ADMITTED;
            }
            if (reportedAt == Long.MIN_VALUE || now - reportedAt >= REPORT_INTERVAL_MILLIS) {
                Admission admission = new Admission(false, true, unreported);
                reportedAt = now;
                unreported = 0;
                return admission;
            }
            unreported++;
            return new Admission(false, false, unreported);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= limits.burst();
        }

        private void refill(long now) {
            long elapsed = Math.max(0, now - refilledAt);
            tokens = Math.min(limits.burst(), tokens + elapsed * limits.queriesPerSecond() / 1000.0);
            refilledAt = now;
        }
    }

    private final RateLimits limits;
    private final Clock clock;
    private final ConcurrentMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long sweptAt;

    SourceRateLimiter(RateLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    Admission admit(InetAddress source) {
        long now = clock.millis();
        if (buckets.size() > TRACKED_SOURCES_BEFORE_SWEEP && now - sweptAt >= SWEEP_INTERVAL_MILLIS) {
            sweptAt = now;
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(source, s -> new Bucket(now)).take(now);
    }
}

package io.tollgate.dns;

/**
 * How many queries one runner address may send: a token bucket refilled at {@code queriesPerSecond}, holding at most
 * {@code burst}.
 */
public record RateLimits(int queriesPerSecond, int burst) {
    public RateLimits {
        if (queriesPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("DNS rate limits need at least 1 query per second and a burst of 1, got "
                    + queriesPerSecond + " and " + burst);
        }
    }

    public static RateLimits defaults() {
        return new RateLimits(200, 400);
    }
}

package io.tollgate.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    private static final InetAddress RUNNER = InetAddress.ofLiteral("10.10.0.5");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final SourceRateLimiter limiter = new SourceRateLimiter(new RateLimits(10, 20), clock);

    @Test
    void burstIsAdmittedThenRefused() {
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.admit(RUNNER).admitted()).as("query %d", i).isTrue();
        }
        assertThat(limiter.admit(RUNNER).admitted()).isFalse();
    }

    @Test
    void tokensRefillAtTheConfiguredRate() {
        drain(RUNNER);

        clock.advance(Duration.ofMillis(300));

        assertThat(limiter.admit(RUNNER).admitted()).isTrue();
        assertThat(limiter.admit(RUNNER).admitted()).isTrue();
        assertThat(limiter.admit(RUNNER).admitted()).isTrue();
        assertThat(limiter.admit(RUNNER).admitted()).isFalse();
    }

    @Test
    void refusalsAreReportedOncePerSecondWithTheCountInBetween() {
        SourceRateLimiter onePerSecond = new SourceRateLimiter(new RateLimits(1, 1), clock);
        assertThat(onePerSecond.admit(RUNNER).admitted()).isTrue();

        SourceRateLimiter.Admission first = onePerSecond.admit(RUNNER);
        assertThat(first.admitted()).isFalse();
        assertThat(first.report()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(onePerSecond.admit(RUNNER).report()).isFalse();
        }
        clock.advance(Duration.ofMillis(999));
        assertThat(onePerSecond.admit(RUNNER).report()).as("still within the second").isFalse();

        clock.advance(Duration.ofMillis(500));
        assertThat(onePerSecond.admit(RUNNER).admitted()).isTrue();
        SourceRateLimiter.Admission next = onePerSecond.admit(RUNNER);
        assertThat(next.report()).isTrue();
        assertThat(next.refusedSinceReport()).isEqualTo(6);
    }

    @Test
    void eachRunnerHasItsOwnBucket() {
        drain(RUNNER);

        assertThat(limiter.admit(InetAddress.ofLiteral("10.10.0.6")).admitted()).isTrue();
    }

    private void drain(InetAddress source) {
        while (limiter.admit(source).admitted()) {
            // take every token
        }
    }
}

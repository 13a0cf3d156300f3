package io.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogTimeTest {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void matchesJavaTimeAcrossLeapYearsCenturiesAndDayBoundaries() {
        long[] fixed = {0, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
                1_795_453_465_399L, -1L};
        for (long millis : fixed) {
            assertThat(LogTime.format(millis)).isEqualTo(ISO_MILLIS.format(Instant.ofEpochMilli(millis)));
        }
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(0, 7_258_118_400_000L); // 1970..2200
            assertThat(LogTime.format(millis)).isEqualTo(ISO_MILLIS.format(Instant.ofEpochMilli(millis)));
        }
    }
}

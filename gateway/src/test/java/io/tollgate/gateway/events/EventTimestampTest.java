package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventTimestampTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void writesRfc3339InUtcWithMicrosecondsTruncated() {
        assertThat(EventTimestamp.format(Instant.parse("2026-11-23T13:47:11.123456789Z")))
                .isEqualTo("2026-11-23T13:47:11.123456Z");
        assertThat(EventTimestamp.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000Z");
    }

    @Test
    void agreesWithJavaTimeAtCalendarEdges() {
        for (String text : new String[] {"1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00Z",
                "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "2100-03-01T00:00:00.000001Z", "2024-12-31T23:59:59Z",
                "0001-01-01T00:00:00Z", "0001-03-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1600-02-29T01:02:03Z"}) {
            Instant at = Instant.parse(text);
            assertThat(EventTimestamp.format(at)).as(text).isEqualTo(reference(at));
        }
    }

    @Test
    void agreesWithJavaTimeOnRandomInstants() {
        var random = new SplittableRandom(42);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long end = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(first, end), random.nextInt(1_000_000_000));
            assertThat(EventTimestamp.format(at)).isEqualTo(reference(at));
        }
    }

    @Test
    void yearsOutsideFourDigitsTakeTheGeneralFormatter() {
        Instant late = Instant.parse("+10000-01-01T00:00:00Z");
        Instant early = Instant.parse("0000-12-31T23:59:59Z");
        assertThat(EventTimestamp.format(late)).isEqualTo(reference(late));
        assertThat(EventTimestamp.format(early)).isEqualTo(reference(early));
    }

    private static String reference(Instant at) {
        return REFERENCE.format(at.truncatedTo(ChronoUnit.MICROS));
    }
}

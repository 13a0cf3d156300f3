package io.tollgate.gateway.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The {@code ts} field of an event: RFC 3339 in UTC with microseconds, e.g. {@code 2026-11-23T13:47:11.123456Z}.
 * Written by hand because it runs on the event loops for every connection and DNS query, where
 * {@link DateTimeFormatter} cost several times as much; instants outside years 0001–9999 take the
 * slow path (which prints the year of era, so the year 0 comes out as 0001).
 */
public final class EventTimestamp {
    private static final DateTimeFormatter RFC3339_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds. */
    private static final long FIRST_SECOND = -62_135_596_800L;
    private static final long END_SECOND = 253_402_300_800L;

    private EventTimestamp() {}

    public static String format(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
            return RFC3339_MICROS.format(at.truncatedTo(ChronoUnit.MICROS));
        }
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        byte[] out = new byte[27];
        writeDate(out, days);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        out[19] = '.';
        digits(out, 20, at.getNano() / 1000, 6);
        out[26] = 'Z';
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** Civil date from days since 1970-01-01 (the proleptic Gregorian calendar, as java.time uses), as yyyy-MM-dd. */
    private static void writeDate(byte[] out, long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}

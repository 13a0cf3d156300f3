package io.tollgate.agent.cli;

/**
 * ISO-8601 UTC timestamps with milliseconds ({@code 2026-11-23T17:14:25.399Z}) for the agent's log lines, computed
 * here: {@code Instant.toString()} made the agent load java.time's formatter, about 60 classes, for this alone.
 */
final class LogTime {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private LogTime() {}

    static String format(long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long millisOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // the proleptic Gregorian date of a day count, in 400-year eras starting on March 1st (leap day last)
        long shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        long month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder text = new StringBuilder(24);
        pad(text, year, 4).append('-');
        pad(text, month, 2).append('-');
        pad(text, day, 2).append('T');
        pad(text, millisOfDay / 3_600_000, 2).append(':');
        pad(text, millisOfDay / 60_000 % 60, 2).append(':');
        pad(text, millisOfDay / 1_000 % 60, 2).append('.');
        return pad(text, millisOfDay % 1_000, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, long value, int digits) {
        String s = Long.toString(value);
        for (int i = s.length(); i < digits; i++) {
            text.append('0');
        }
        return text.append(s);
    }
}

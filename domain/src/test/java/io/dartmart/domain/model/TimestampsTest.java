package io.dartmart.domain.model;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampsTest {
    private static final String SHAPE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00";

    @Test
    void formatIsUtcWithSixFractionDigitsAndAnExplicitOffset() {
        assertEquals("2026-01-31T12:34:56.123456+00:00", Timestamps.format(Instant.parse("2026-01-31T12:34:56.123456Z")));
        // whole seconds still print all six digits, and never "Z"
        assertEquals("2026-01-31T00:00:00.000000+00:00", Timestamps.format(Instant.parse("2026-01-31T00:00:00Z")));
        assertEquals("2026-01-31T12:00:00.100000+00:00", Timestamps.format(Instant.parse("2026-01-31T12:00:00.1Z")));
        assertEquals("1970-01-01T00:00:00.000001+00:00", Timestamps.format(Instant.ofEpochSecond(0, 1_000)));
    }

    @Test
    void formatTruncatesBelowMicrosecondsRatherThanRounding() {
        // PostgreSQL keeps microseconds; a rounded value would not match what a later GET prints
        assertEquals("2026-01-31T23:59:59.999999+00:00",
                Timestamps.format(Instant.parse("2026-01-31T23:59:59.999999999Z")));
        assertEquals("2026-01-31T12:34:56.123456+00:00",
                Timestamps.format(Instant.parse("2026-01-31T12:34:56.123456789Z")));
    }

    @Test
    void formatIgnoresTheDefaultTimeZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            // a server in another zone, on a date where that zone's day differs from UTC's
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            String formatted = Timestamps.format(Instant.parse("2026-06-30T22:30:00Z"));
            assertEquals("2026-06-30T22:30:00.000000+00:00", formatted);
            assertTrue(formatted.matches(SHAPE), formatted);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void formatOfNullIsNull() {
        assertNull(Timestamps.format(null));
    }

    @Test
    void nowIsTruncatedToMicroseconds() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-31T12:34:56.123456789Z"), ZoneId.of("Asia/Tokyo"));
        Instant now = Timestamps.now(clock);
        assertEquals(Instant.parse("2026-01-31T12:34:56.123456Z"), now);
        assertEquals(0, now.getNano() % 1_000);
        // what is stored and what is formatted agree
        assertEquals(Timestamps.format(clock.instant()), Timestamps.format(now));
        assertEquals(now, Instant.from(java.time.OffsetDateTime.parse(Timestamps.format(now))));
        assertEquals(ZoneOffset.UTC, java.time.OffsetDateTime.parse(Timestamps.format(now)).getOffset());
    }

    @Test
    void formatKeepsFourDigitYears() {
        assertEquals("0999-01-01T00:00:00.000000+00:00", Timestamps.format(Instant.parse("0999-01-01T00:00:00Z")));
    }
}

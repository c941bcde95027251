package io.dartmart.triggers.type;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import io.dartmart.domain.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronPatternsTest {
    /** A Saturday. */
    private static final ZonedDateTime SATURDAY_NOON = ZonedDateTime.of(2026, 1, 31, 12, 0, 0, 0, ZoneOffset.UTC);

    private static ZonedDateTime next(String pattern, ZonedDateTime after) {
        Cron cron = CronPatterns.parse(pattern, "/data/args/cron_pattern");
        return ExecutionTime.forCron(cron).nextExecution(after).orElseThrow();
    }

    @Test
    void awsStylePatternsParse() {
        for (String p : List.of("0 10 * * ? *", "0/15 9-17 ? * MON-FRI *", "30 2 1 * ? *", "0 12 ? * 2#1 *",
                "0 18 L * ? *", "0 8 ? * MON 2027", "  0 10 * * ? *  ")) {
            assertDoesNotThrow(() -> CronPatterns.parse(p, "/p"), p);
        }
    }

    @Test
    void unixPatternsParse() {
        for (String p : List.of("*/5 * * * *", "0 10 * * *", "0 0 1 1 *", "15 14 1 * MON-FRI")) {
            assertDoesNotThrow(() -> CronPatterns.parse(p, "/p"), p);
        }
    }

    @Test
    void awsFieldsAreMinuteHourDayMonthWeekdayYear() {
        // the first field is the minute, not the second as in Quartz
        assertEquals(SATURDAY_NOON.plusDays(1).withHour(10).withMinute(0), next("0 10 * * ? *", SATURDAY_NOON));
        assertEquals(SATURDAY_NOON.withMinute(30), next("30 * * * ? *", SATURDAY_NOON));
    }

    @Test
    void awsWeekdaysRunOnWeekdaysOnly() {
        ZonedDateTime monday9 = ZonedDateTime.of(2026, 2, 2, 9, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(monday9, next("0/15 9-17 ? * MON-FRI *", SATURDAY_NOON));
        assertEquals(monday9.plusMinutes(15), next("0/15 9-17 ? * MON-FRI *", monday9));
        assertEquals(monday9.plusDays(1), next("0/15 9-17 ? * MON-FRI *", monday9.withHour(17).withMinute(45)));
    }

    @Test
    void awsNumbersWeekdaysFromSunday() {
        // CloudWatch counts 1 = Sunday, so 2 is Monday; UNIX counts 1 = Monday
        assertEquals(ZonedDateTime.of(2026, 2, 2, 10, 0, 0, 0, ZoneOffset.UTC), next("0 10 ? * 2 *", SATURDAY_NOON));
        assertEquals(ZonedDateTime.of(2026, 2, 1, 10, 0, 0, 0, ZoneOffset.UTC), next("0 10 ? * 1 *", SATURDAY_NOON));
        assertEquals(ZonedDateTime.of(2026, 2, 2, 10, 0, 0, 0, ZoneOffset.UTC), next("0 10 * * 1", SATURDAY_NOON));
    }

    @Test
    void awsYearFieldLimitsTheYears() {
        assertEquals(ZonedDateTime.of(2027, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC), next("0 10 * * ? 2027", SATURDAY_NOON));
    }

    @Test
    void unixFiveFieldPatternsRunAsUnixCron() {
        assertEquals(SATURDAY_NOON.plusMinutes(5), next("*/5 * * * *", SATURDAY_NOON));
        assertEquals(SATURDAY_NOON.plusDays(1).withHour(10), next("0 10 * * *", SATURDAY_NOON));
    }

    @Test
    void invalidPatternsNameWhereAndWhat() {
        for (String p : List.of("61 * * * *", "hello", "", "   ", "0 25 * * ? *", "0 10 * * ? 1900", "* * * * * * * *",
                "0 10 * 13 ? *", "0 10 * * FOO *", "0; DROP * * ? *")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> CronPatterns.parse(p, "/data/args/cron_pattern"), "'" + p + "'");
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("/data/args/cron_pattern: '" + p + "' is not a cron pattern"),
                    e.getMessage());
        }
    }

    @Test
    void missingPatternIsInvalidInputNotACrash() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CronPatterns.parse(null, "/p"));
        assertTrue(e.getMessage().startsWith("/p: "), e.getMessage());
    }
}

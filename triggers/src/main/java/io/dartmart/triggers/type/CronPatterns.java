package io.dartmart.triggers.type;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.dartmart.domain.error.InvalidInputException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Cron patterns as scheduled triggers take them: the original's CloudWatch style of six fields
 * ({@code minute hour day-of-month month day-of-week year}, e.g. {@code 0 10 * * ? *}), or classic five-field UNIX
 * cron ({@code 0 10 * * *}). Times are UTC.
 */
public final class CronPatterns {
    private static final CronDefinition AWS = CronDefinitionBuilder.defineCron()
            .withMinutes().and()
            .withHours().and()
            .withDayOfMonth().supportsL().supportsW().supportsLW().supportsQuestionMark().and()
            .withMonth().and()
            .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
            .supportsQuestionMark().and()
            .withYear().withValidRange(1970, 2199).withStrictRange().optional().and()
            .instance();
    private static final CronParser AWS_PARSER = new CronParser(AWS);
    private static final CronParser UNIX_PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronPatterns() {
    }

    /** The schedule's first point after {@code point}; a schedule with none (its last year passed) answers point. */
    public static Instant next(Cron cron, Instant point) {
        return ExecutionTime.forCron(cron).nextExecution(point.atZone(ZoneOffset.UTC))
                .map(ZonedDateTime::toInstant).orElse(point);
    }

    public static Cron parse(String pattern, String where) {
        String p = pattern == null ? "" : pattern.strip();
        int fields = p.isEmpty() ? 0 : p.split("\\s+").length;
        try {
            Cron cron = fields == 5 ? UNIX_PARSER.parse(p) : AWS_PARSER.parse(p);
            return cron.validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + ": '" + pattern + "' is not a cron pattern ("
                    + e.getMessage() + "); use 'minute hour day-of-month month day-of-week [year]', e.g. 0 10 * * ? *");
        }
    }
}

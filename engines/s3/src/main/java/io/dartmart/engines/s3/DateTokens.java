package io.dartmart.engines.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The date placeholders of {@code data_check}: {@code {YEAR} {MONTH} {DAY} {HOUR} {MINUTE} {SECOND}}, replaced by the
 * zero-padded UTC fields of an instant. Other braces (a regex's {@code {2}}) are left alone.
 */
public final class DateTokens {
    private DateTokens() {
    }

    public static String fill(String template, Instant at) {
        if (template == null) {
            return null;
        }
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        return template.replace("{YEAR}", String.format("%04d", t.getYear()))
                .replace("{MONTH}", String.format("%02d", t.getMonthValue()))
                .replace("{DAY}", String.format("%02d", t.getDayOfMonth()))
                .replace("{HOUR}", String.format("%02d", t.getHour()))
                .replace("{MINUTE}", String.format("%02d", t.getMinute()))
                .replace("{SECOND}", String.format("%02d", t.getSecond()));
    }
}

package io.dartmart.domain.service;

import io.dartmart.domain.model.Entity;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The schedule point a scheduled or backfill run stands for: its data interval runs from {@code point} to
 * {@code next}, the schedule's following point. A workflow never has two queued or running runs of one point.
 *
 * @param backfillId the backfill that started the run, or null for the trigger's own schedule
 */
public record SchedulePoint(Instant point, Instant next, String backfillId) {
    public static final String POINT = "schedule_point";
    public static final String BACKFILL_ID = "backfill_id";

    /** The point a run was started for, so that its retry keeps it; null for a run of no schedule point. */
    public static SchedulePoint of(Entity instance) {
        String point = instance.text(POINT);
        String next = instance.text("data_interval_end");
        if (point == null || next == null) {
            return null;
        }
        return new SchedulePoint(OffsetDateTime.parse(point).toInstant(),
                OffsetDateTime.parse(next).toInstant(), instance.text(BACKFILL_ID));
    }
}

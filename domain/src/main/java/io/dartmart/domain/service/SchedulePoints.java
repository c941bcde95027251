package io.dartmart.domain.service;

import io.dartmart.domain.model.Timestamps;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What a workflow's queued and running runs hold: which schedule points, and how many of its concurrency slots.
 * Asked under the workflow's row lock; the unique index workflow_instance_active_point_idx backs the first answer.
 */
@Singleton
public class SchedulePoints {
    /** Whether the workflow has a queued or running run of {@code point}. */
    public boolean busy(Connection c, String workflowId, Instant point) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM workflow_instance WHERE workflow_id = ?"
                + " AND state IN ('QUEUED', 'RUNNING') AND data ->> '" + SchedulePoint.POINT + "' = ?")) {
            ps.setString(1, workflowId);
            ps.setString(2, Timestamps.format(point));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The workflow's queued and running runs that count against its concurrency: those no backfill started. */
    public long activeOutsideBackfills(Connection c, String workflowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM workflow_instance WHERE workflow_id = ?"
                + " AND state IN ('QUEUED', 'RUNNING') AND data ->> '" + SchedulePoint.BACKFILL_ID + "' IS NULL")) {
            ps.setString(1, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

package io.dartmart.triggers.backfill;

import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.error.DartException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.service.SchedulePoint;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.triggers.type.ScheduledTrigger;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves backfills on, from the trigger workers' schedule loop after the schedules themselves have fired: each pass
 * records how the started runs went, then starts pending points, oldest first, while the backfill has fewer than
 * its max_active_runs queued or running. A backfill is advanced by one worker at a time (its row is locked, and
 * others skip it); a point whose workflow already has a queued or running run of it waits for that run to end.
 */
@Singleton
public class BackfillRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);
    /** Points looked at beyond the free slots in one pass, for those skipped without a run. */
    private static final int LOOK_AHEAD = 500;

    private final Db db;
    private final EntityStore store;
    private final WorkflowRuns runs;

    public BackfillRunner(Db db, EntityStore store, WorkflowRuns runs) {
        this.db = db;
        this.store = store;
        this.runs = runs;
    }

    /** One pass over the backfills that have work; answers how many runs it started. */
    public int advanceAll() {
        List<String> ids = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM backfill b WHERE state = 'RUNNING'"
                    + " OR (state = 'CANCELLED' AND EXISTS (SELECT 1 FROM backfill_point p WHERE p.backfill_id = b.id"
                    + " AND p.state = 'RUNNING')) ORDER BY created");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        int started = 0;
        for (String id : ids) {
            try {
                started += db.tx(c -> advance(c, id));
            } catch (RuntimeException e) {
                LOG.warn("backfill {}: {}", id, e.getMessage());
            }
        }
        return started;
    }

    private record Backfill(String id, String triggerId, String state, String reprocess, int maxActiveRuns,
                            String userId) {
    }

    private record Pending(String workflowId, Instant point, Instant next) {
    }

    int advance(Connection c, String id) throws SQLException {
        Backfill b = lock(c, id);
        if (b == null) {
            return 0;
        }
        refresh(c, id);
        if (!"RUNNING".equals(b.state())) {
            return 0;
        }
        if (store.find(c, EntityType.TRIGGER, b.triggerId()).isEmpty()) {
            LOG.info("backfill {}: trigger {} was deleted; the backfill is cancelled", id, b.triggerId());
            Backfills.cancel(c, id);
            return 0;
        }
        int slots = b.maxActiveRuns() - count(c, id, "RUNNING");
        int started = 0;
        if (slots > 0) {
            Caller caller = new Caller(b.userId() == null ? Caller.SYSTEM.userId() : b.userId(), Role.ADMIN, null);
            for (Pending p : pending(c, id, slots + LOOK_AHEAD)) {
                if (started == slots) {
                    break;
                }
                started += startOrSkip(c, b, p, caller) ? 1 : 0;
            }
        }
        if (count(c, id, "PENDING") + count(c, id, "RUNNING") == 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE backfill SET state = 'COMPLETED', updated = now()"
                    + " WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        return started;
    }

    /** The backfill's row, locked; null when another worker holds it or it is gone. */
    private static Backfill lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT trigger_id, state, reprocess, max_active_runs, user_id"
                + " FROM backfill WHERE id = ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Backfill(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5)) : null;
            }
        }
    }

    /**
     * Points whose run was started follow their latest run (a retry included): queued or running is RUNNING, then
     * COMPLETED, or FAILED (failed or cancelled); a point whose run was deleted is FAILED.
     */
    private static void refresh(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE backfill_point p SET workflow_instance_id = r.id,"
                + " state = CASE r.state WHEN 'COMPLETED' THEN 'COMPLETED' WHEN 'QUEUED' THEN 'RUNNING'"
                + " WHEN 'RUNNING' THEN 'RUNNING' ELSE 'FAILED' END"
                + " FROM (SELECT DISTINCT ON (workflow_id, data ->> 'schedule_point') id, workflow_id, state,"
                + " (data ->> 'schedule_point')::timestamptz AS point FROM workflow_instance"
                + " WHERE data ->> 'backfill_id' = ? ORDER BY workflow_id, data ->> 'schedule_point', created DESC) r"
                + " WHERE p.backfill_id = ? AND p.state IN ('RUNNING', 'FAILED') AND p.workflow_id = r.workflow_id"
                + " AND p.point = r.point")) {
            ps.setString(1, id);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE backfill_point p SET state = 'FAILED'"
                + " WHERE backfill_id = ? AND state = 'RUNNING'"
                + " AND NOT EXISTS (SELECT 1 FROM workflow_instance i WHERE i.id = p.workflow_instance_id)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static int count(Connection c, String id, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM backfill_point WHERE backfill_id = ?"
                + " AND state = ?")) {
            ps.setString(1, id);
            ps.setString(2, state);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<Pending> pending(Connection c, String id, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT workflow_id, point, next_point FROM backfill_point"
                + " WHERE backfill_id = ? AND state = 'PENDING' ORDER BY point, workflow_id LIMIT ?")) {
            ps.setString(1, id);
            ps.setInt(2, limit);
            List<Pending> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getString(1), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant()));
                }
            }
            return out;
        }
    }

    /** Starts the point's run, marks it SKIPPED (reprocess says no), or leaves it while a run of it is active. */
    private boolean startOrSkip(Connection c, Backfill b, Pending p, Caller caller) throws SQLException {
        String latest = latestRunState(c, p);
        if ("QUEUED".equals(latest) || "RUNNING".equals(latest)) {
            return false;
        }
        boolean rerun = latest == null || switch (b.reprocess()) {
            case "all" -> true;
            case "failed" -> !"COMPLETED".equals(latest);
            default -> false;
        };
        if (!rerun) {
            mark(c, b.id(), p, "SKIPPED", null);
            return false;
        }
        try {
            var run = runs.start(c, p.workflowId(), ScheduledTrigger.NAME, b.triggerId(), 0,
                    WorkflowRuns.RunOptions.at(new SchedulePoint(p.point(), p.next(), b.id())), caller);
            mark(c, b.id(), p, "RUNNING", run.id());
            return true;
        } catch (WorkflowRuns.PointBusy e) {
            return false;
        } catch (DartException e) {
            LOG.info("backfill {}: no run of workflow {} for {}: {}", b.id(), p.workflowId(),
                    Timestamps.format(p.point()), e.getMessage());
            mark(c, b.id(), p, "FAILED", null);
            return false;
        }
    }

    /** The state of the workflow's latest run of the point, whoever started it; null when it has none. */
    private static String latestRunState(Connection c, Pending p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM workflow_instance WHERE workflow_id = ?"
                + " AND data ->> 'schedule_point' = ? ORDER BY created DESC LIMIT 1")) {
            ps.setString(1, p.workflowId());
            ps.setString(2, Timestamps.format(p.point()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void mark(Connection c, String id, Pending p, String state, String instanceId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE backfill_point SET state = ?, workflow_instance_id = ?"
                + " WHERE backfill_id = ? AND workflow_id = ? AND point = ?")) {
            ps.setString(1, state);
            ps.setString(2, instanceId);
            ps.setString(3, id);
            ps.setString(4, p.workflowId());
            ps.setObject(5, Backfills.utc(p.point()));
            ps.executeUpdate();
        }
    }
}

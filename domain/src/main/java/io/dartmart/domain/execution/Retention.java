package io.dartmart.domain.execution;

import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.store.Db;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the tables that only grow in check. Bookkeeping (sent outbox messages, the ids of processed queue messages,
 * scheduled fire times but each trigger's latest, which the next fire is counted from) is deleted after
 * {@code dart.retention.bookkeeping}; action log lines after {@code dart.retention.action-logs}; finished runs with
 * their actions, log lines and cloned datastores after {@code dart.retention.runs}, which is unset by default: runs
 * are kept forever; the tokens of launched actions once the actions end (they no longer authenticate). Deletes go in batches, each its own transaction, so no lock is held long.
 */
@Singleton
public class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 1_000;

    private final Db db;
    private final Clock clock;
    private final Duration bookkeeping;
    private final Duration actionLogs;
    private final Duration runs;
    private final ActionTokens tokens;

    public Retention(Db db, Clock clock, ActionTokens tokens,
                     @Value("${dart.retention.bookkeeping:14d}") Duration bookkeeping,
                     @Value("${dart.retention.action-logs:30d}") Duration actionLogs,
                     @Value("${dart.retention.runs:0s}") Duration runs) {
        this.db = db;
        this.clock = clock;
        this.bookkeeping = bookkeeping;
        this.actionLogs = actionLogs;
        this.runs = runs;
        this.tokens = tokens;
    }

    /** One pass over every table; answers how many rows it deleted. */
    public long prune() {
        Instant now = clock.instant();
        Instant bookkeepingCutoff = now.minus(bookkeeping);
        long deleted = 0;
        deleted += batches("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent IS NOT NULL AND sent < ?"
                + " LIMIT ?)", bookkeepingCutoff);
        // a redelivered message older than this is no longer recognised: keep it longer than the queue keeps messages
        deleted += batches("DELETE FROM processed_message WHERE id IN (SELECT id FROM processed_message"
                + " WHERE processed < ? LIMIT ?)", bookkeepingCutoff);
        deleted += batches("DELETE FROM trigger_fire WHERE (trigger_id, fire_time) IN (SELECT trigger_id, fire_time"
                + " FROM trigger_fire f WHERE fire_time < ? AND fire_time < (SELECT max(fire_time) FROM trigger_fire l"
                + " WHERE l.trigger_id = f.trigger_id) LIMIT ?)", bookkeepingCutoff);
        deleted += batches("DELETE FROM action_log WHERE (action_id, seq) IN (SELECT action_id, seq FROM action_log"
                + " WHERE created < ? LIMIT ?)", now.minus(actionLogs));
        deleted += tokens.purgeEnded();
        if (!runs.isZero()) {
            deleted += pruneRuns(now.minus(runs));
        }
        if (deleted > 0) {
            LOG.info("retention: {} rows deleted", deleted);
        }
        return deleted;
    }

    /**
     * Finished runs that ended before {@code cutoff}, a batch at a time: their actions and log lines, then the runs,
     * then the datastores cloned for them that no other run uses.
     */
    private long pruneRuns(Instant cutoff) {
        long deleted = 0;
        while (true) {
            long[] batch = db.tx(c -> {
                List<String> runIds = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM workflow_instance WHERE state IN"
                        + " ('COMPLETED', 'FAILED', 'CANCELLED') AND (data ->> 'end_time')::timestamptz < ?"
                        + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    ps.setInt(2, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            runIds.add(rs.getString(1));
                        }
                    }
                }
                Array ids = c.createArrayOf("text", runIds.toArray());
                long rows = update(c, "DELETE FROM action_log WHERE action_id IN (SELECT id FROM action"
                        + " WHERE workflow_instance_id = ANY(?))", ids);
                rows += update(c, "DELETE FROM action WHERE workflow_instance_id = ANY(?)", ids);
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM workflow_instance WHERE id = ANY(?)"
                        + " RETURNING datastore_id")) {
                    ps.setArray(1, ids);
                    Set<String> datastores = new HashSet<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                            datastores.add(rs.getString(1));
                        }
                    }
                    rows += update(c, "DELETE FROM datastore d WHERE d.id = ANY(?)"
                            + " AND d.data ->> 'workflow_datastore_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                            + " workflow_instance i WHERE i.datastore_id = d.id) AND NOT EXISTS (SELECT 1 FROM action a"
                            + " WHERE a.datastore_id = d.id)", c.createArrayOf("text", datastores.toArray()));
                }
                return new long[]{runIds.size(), rows};
            });
            deleted += batch[1];
            if (batch[0] < BATCH) {
                return deleted;
            }
        }
    }

    private long batches(String sql, Instant cutoff) {
        long deleted = 0;
        while (true) {
            int n = db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    ps.setInt(2, BATCH);
                    return ps.executeUpdate();
                }
            });
            deleted += n;
            if (n < BATCH) {
                return deleted;
            }
        }
    }

    private static long update(Connection c, String sql, Array ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids);
            return ps.executeUpdate();
        }
    }
}

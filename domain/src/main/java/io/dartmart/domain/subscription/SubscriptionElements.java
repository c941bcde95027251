package io.dartmart.domain.subscription;

import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Timestamps;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The state changes of subscription elements, each one set-based statement: elements come and go by the thousand, so
 * none of them is read into the JVM to be changed. An element moves UNCONSUMED -> RESERVED (in a batch) -> ASSIGNED
 * (to a consume_subscription action) -> CONSUMED, and back to UNCONSUMED when its consumption fails or its run ends
 * without consuming it.
 */
@Singleton
public class SubscriptionElements {
    /** A file found in S3: its key as an {@code s3://} path, and its size. */
    public record S3File(String s3Path, long size) {
    }

    private static final String SET_STATE = "UPDATE subscription_element SET version_id = version_id + 1,"
            + " updated = ?, data = data || jsonb_build_object('state', ?::text, 'action_id', ?::text, 'batch_id', ?::text)";

    private final Clock clock;

    public SubscriptionElements(Clock clock) {
        this.clock = clock;
    }

    /** Adds the files as UNCONSUMED elements; files already there are left as they are. Answers how many were new. */
    public int insert(Connection c, String subscriptionId, List<S3File> files) throws SQLException {
        if (files.isEmpty()) {
            return 0;
        }
        String[] ids = new String[files.size()];
        String[] paths = new String[files.size()];
        Long[] sizes = new Long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            ids[i] = Ids.newId();
            paths[i] = files.get(i).s3Path();
            sizes[i] = files.get(i).size();
        }
        OffsetDateTime now = now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscription_element"
                + " (id, version_id, created, updated, data)"
                + " SELECT f.id, 1, ?, ?, jsonb_build_object('subscription_id', ?::text, 's3_path', f.path,"
                + " 'file_size', f.size, 'state', 'UNCONSUMED', 'action_id', null, 'batch_id', null, 'tags', '[]'::jsonb)"
                + " FROM unnest(?::text[], ?::text[], ?::bigint[]) AS f(id, path, size)"
                + " ON CONFLICT (subscription_id, s3_path) DO NOTHING")) {
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, subscriptionId);
            ps.setArray(4, c.createArrayOf("text", ids));
            ps.setArray(5, c.createArrayOf("text", paths));
            Array sizeArray = c.createArrayOf("bigint", sizes);
            ps.setArray(6, sizeArray);
            return ps.executeUpdate();
        }
    }

    /**
     * Reserves the next batch: unconsumed elements in path order, up to and including the one that brings their
     * total size to {@code threshold}. Answers how many were reserved: none while the unconsumed total is below it.
     * The elements are read in path order through the unconsumed index and the reading stops at the threshold, so a
     * small batch costs little however long the backlog. The caller holds the subscription's row lock, so two
     * workers never reserve the same element.
     */
    public int reserveBatch(Connection c, String subscriptionId, long threshold, String batchId) throws SQLException {
        List<String> ids = new ArrayList<>();
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, coalesce((data ->> 'file_size')::bigint, 0)"
                + " FROM subscription_element WHERE subscription_id = ? AND state = 'UNCONSUMED' ORDER BY s3_path")) {
            ps.setFetchSize(1000);
            ps.setString(1, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (total < threshold && rs.next()) {
                    ids.add(rs.getString(1));
                    total += rs.getLong(2);
                }
            }
        }
        if (total < threshold) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(SET_STATE + " WHERE id = ANY(?)")) {
            ps.setObject(1, now());
            ps.setString(2, "RESERVED");
            ps.setString(3, null);
            ps.setString(4, batchId);
            ps.setArray(5, c.createArrayOf("text", ids.toArray()));
            return ps.executeUpdate();
        }
    }

    /** Gives an action the elements of its run's batch. */
    public int assignBatch(Connection c, String actionId, String subscriptionId, String batchId) throws SQLException {
        return move(c, "ASSIGNED", actionId, batchId,
                " WHERE subscription_id = ? AND batch_id = ? AND state = 'RESERVED'", subscriptionId, batchId);
    }

    /** Gives an action every unconsumed element of the subscription. */
    public int assignUnconsumed(Connection c, String actionId, String subscriptionId) throws SQLException {
        return move(c, "ASSIGNED", actionId, null, " WHERE subscription_id = ? AND state = 'UNCONSUMED'",
                subscriptionId);
    }

    /** The action consumed its elements. */
    public int consumed(Connection c, String actionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE subscription_element SET version_id = version_id + 1,"
                + " updated = ?, data = data || jsonb_build_object('state', 'CONSUMED')"
                + " WHERE action_id = ? AND state = 'ASSIGNED'")) {
            ps.setObject(1, now());
            ps.setString(2, actionId);
            return ps.executeUpdate();
        }
    }

    /** The action failed for good: its elements are free for the next batch or consumer. */
    public int unassign(Connection c, String actionId) throws SQLException {
        return move(c, "UNCONSUMED", null, null, " WHERE action_id = ? AND state = 'ASSIGNED'", actionId);
    }

    /**
     * A run ended: what it reserved or assigned and did not consume is free again. That is a batch whose workflow had
     * no consume_subscription step, or the elements of steps that never ran.
     */
    public int releaseRun(Connection c, String instanceId, String batchId) throws SQLException {
        return move(c, "UNCONSUMED", null, null, " WHERE (state = 'RESERVED' AND batch_id = ?) OR (state = 'ASSIGNED'"
                + " AND action_id IN (SELECT id FROM action WHERE workflow_instance_id = ?))", batchId, instanceId);
    }

    private int move(Connection c, String state, String actionId, String batchId, String where, String... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SET_STATE + where)) {
            ps.setObject(1, now());
            ps.setString(2, state);
            ps.setString(3, actionId);
            ps.setString(4, batchId);
            for (int i = 0; i < params.length; i++) {
                ps.setString(5 + i, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Timestamps.now(clock), ZoneOffset.UTC);
    }
}

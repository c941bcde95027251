package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runnable actions and their claims. A claim takes the oldest QUEUED action of an engine whose datastore is ACTIVE
 * and below its concurrency. Candidates are locked with SKIP LOCKED, so claimers on several processes never take the
 * same action, and the datastore row is locked while its running actions are counted, so its concurrency holds.
 */
@Singleton
public class ActionQueue {
    /** NOTIFY channel; the payload is the engine name of a newly QUEUED action. */
    public static final String CHANNEL = "dart_action_queued";
    private static final int CANDIDATES = 20;

    private final EntityStore store;
    private final Clock clock;

    public ActionQueue(EntityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Tells waiting claimers of {@code engineName} that work arrived; delivered when the transaction commits. */
    public void notifyQueued(Connection c, String engineName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, engineName == null ? "" : engineName);
            ps.execute();
        }
    }

    /**
     * Claims one action of {@code engineName}: CLAIM (to RUNNING, for pull-mode engines that work on it at once) or
     * LAUNCH (to PENDING, for the engine worker, which then starts an engine task).
     */
    public Optional<Entity> claim(Connection c, String engineName, ActionEvent how) throws SQLException {
        return claimWithDatastore(c, engineName, how).map(Claimed::action);
    }

    /** A claimed action with its datastore as read (and locked) by the claim. */
    public record Claimed(Entity action, Entity datastore) {
    }

    /** {@link #claim}, answering the datastore too, which the claim has read anyway. */
    public Optional<Claimed> claimWithDatastore(Connection c, String engineName, ActionEvent how) throws SQLException {
        String now = Timestamps.format(Timestamps.now(clock));
        // take the oldest row no other claimer holds, one at a time: each claimer locks only what it inspects, and
        // a busy claimer never makes another one believe the queue is empty
        List<String> full = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++) {
            Entity action = nextUnlocked(c, engineName, now, full);
            if (action == null) {
                return Optional.empty();
            }
            Entity datastore = datastoreWithRoom(c, action.text("datastore_id"));
            if (datastore == null) {
                full.add(action.id());
                continue;
            }
            String id = action.id();
            ObjectNode data = action.data().deepCopy();
            ActionState to = ActionStateMachine.require(ActionState.QUEUED, how, "action '" + id + "'");
            data.put("state", to.name());
            if (how == ActionEvent.LAUNCH) {
                data.put("launched_time", now);
            } else {
                data.put("start_time", now);
                data.put("heartbeat_time", now);
            }
            Entity claimed = store.update(c, action, data);
            if (how == ActionEvent.CLAIM) {
                InstanceProgress.markRunning(c, action.text("workflow_instance_id"), now);
            }
            return Optional.of(new Claimed(claimed, datastore));
        }
        return Optional.empty();
    }

    /** The oldest runnable action of the engine that no one else holds, locked; rows in {@code skip} excepted. */
    private static Entity nextUnlocked(Connection c, String engineName, String now, List<String> skip)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM action"
                + " WHERE engine_name = ? AND state = 'QUEUED' AND coalesce(data ->> 'not_before', '') <= ?"
                + " AND id <> ALL(?) ORDER BY created, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, engineName);
            ps.setString(2, now);
            ps.setArray(3, c.createArrayOf("text", skip.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? EntityStore.read(EntityType.ACTION, rs) : null;
            }
        }
    }

    /**
     * Locks the datastore row and counts what runs on it; answers the datastore when it has room, null when it is
     * full, inactive or missing.
     */
    private Entity datastoreWithRoom(Connection c, String datastoreId) throws SQLException {
        if (datastoreId == null) {
            return null;
        }
        Entity datastore = store.findForUpdate(c, EntityType.DATASTORE, datastoreId).orElse(null);
        if (datastore == null || !"ACTIVE".equals(datastore.text("state"))) {
            return null;
        }
        int concurrency = datastore.data().path("concurrency").asInt(1);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM action WHERE datastore_id = ? AND state IN ('PENDING', 'RUNNING')")) {
            ps.setString(1, datastoreId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) < concurrency ? datastore : null;
            }
        }
    }
}

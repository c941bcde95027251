package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.state.RunEvent;
import io.dartmart.domain.state.RunState;
import io.dartmart.domain.state.RunStateMachine;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runnable actions and their claims. A claim takes the oldest QUEUED actions of an engine whose datastores are ACTIVE
 * and below their concurrency. Candidates are locked with SKIP LOCKED, so claimers on several processes never take
 * the same action, and the datastore rows are locked while their running actions are counted, so concurrency holds.
 */
@Singleton
public class ActionQueue {
    /** NOTIFY channel; the payload is the engine name of a newly QUEUED action. */
    public static final String CHANNEL = "dart_action_queued";
    private static final int CANDIDATES = 20;

    private final EntityStore store;
    private final Clock clock;
    private final Transitions transitions;

    public ActionQueue(EntityStore store, Clock clock, Transitions transitions) {
        this.store = store;
        this.clock = clock;
        this.transitions = transitions;
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
        return claim(c, engineName, how, 1).stream().findFirst().map(Claimed::action);
    }

    /** A claimed action with its datastore as read (and locked) by the claim. */
    public record Claimed(Entity action, Entity datastore) {
    }

    /**
     * Claims up to {@code max} actions of {@code engineName}, oldest first, and answers them with their datastores.
     * A round of claims costs the same few statements whatever {@code max} is.
     */
    public List<Claimed> claim(Connection c, String engineName, ActionEvent how, int max) throws SQLException {
        String now = Timestamps.format(Timestamps.now(clock));
        ActionState to = ActionStateMachine.require(ActionState.QUEUED, how, "a queued action");
        List<Claimed> out = new ArrayList<>();
        // rows of full datastores stay locked by this transaction, so other claimers skip them, but they could not
        // take them either; the next round looks past them
        List<String> full = new ArrayList<>();
        for (int round = 0; out.size() < max && full.size() < CANDIDATES; round++) {
            int wanted = max - out.size();
            List<Entity> candidates = nextUnlocked(c, engineName, now, full, wanted);
            Slots slots = slots(c, candidates, round == 0);
            List<Entity> claimable = new ArrayList<>();
            List<ObjectNode> data = new ArrayList<>();
            for (Entity action : candidates) {
                if (!slots.take(action.text("datastore_id"))) {
                    full.add(action.id());
                    continue;
                }
                ObjectNode d = action.data().deepCopy();
                d.put("state", to.name());
                if (how == ActionEvent.LAUNCH) {
                    d.put("launched_time", now);
                } else {
                    checkedOut(d, now);
                }
                claimable.add(action);
                data.add(d);
            }
            for (Entity claimed : store.updateAll(c, claimable, data)) {
                out.add(new Claimed(claimed, slots.datastores().get(claimed.text("datastore_id"))));
            }
            if (candidates.size() < wanted) {
                break;
            }
        }
        transitions.action(to, Transitions.NO_OUTCOME, out.size());
        if (how == ActionEvent.CLAIM) {
            startRuns(c, out.stream().map(a -> a.action().text("workflow_instance_id")).toList(), now);
        }
        return out;
    }

    /**
     * What an engine's taking an action writes into its data: RUNNING since now, and one more check-out, whose count
     * is the attempt number an engine sees in the work package.
     */
    public static void checkedOut(ObjectNode data, String now) {
        data.put("start_time", now);
        data.put("heartbeat_time", now);
        data.put("checkouts", data.path("checkouts").asInt(0) + 1);
    }

    /**
     * Their runs START (QUEUED -> RUNNING) when their first action starts. SKIP LOCKED: whoever holds an instance is
     * deciding for it and will start it itself, so a claimer never waits on it.
     */
    public void startRuns(Connection c, Collection<String> instanceIds, String now) throws SQLException {
        List<String> ids = instanceIds.stream().filter(Objects::nonNull).distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        RunState to = RunStateMachine.require(RunState.QUEUED, RunEvent.START, ids.get(0));
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflow_instance SET data = data"
                + " || jsonb_build_object('state', ?::text, 'start_time', ?::text),"
                + " version_id = version_id + 1, updated = now() WHERE id IN (SELECT id FROM workflow_instance"
                + " WHERE id = ANY(?) AND state = ? FOR UPDATE SKIP LOCKED)")) {
            ps.setString(1, to.name());
            ps.setString(2, now);
            ps.setArray(3, c.createArrayOf("text", ids.toArray()));
            ps.setString(4, RunState.QUEUED.name());
            transitions.runs(to, ps.executeUpdate());
        }
    }

    /** The oldest runnable actions of the engine that no one else holds, locked; rows in {@code skip} excepted. */
    private static List<Entity> nextUnlocked(Connection c, String engineName, String now, List<String> skip, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM action"
                + " WHERE engine_name = ? AND state = 'QUEUED' AND coalesce(data ->> 'not_before', '') <= ?"
                + " AND id <> ALL(?) ORDER BY created, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, engineName);
            ps.setString(2, now);
            ps.setArray(3, c.createArrayOf("text", skip.toArray()));
            ps.setInt(4, limit);
            List<Entity> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(EntityStore.read(EntityType.ACTION, rs));
                }
            }
            return out;
        }
    }

    /** The ACTIVE datastores of some candidates, locked, and how many more actions each may run now. */
    private record Slots(Map<String, Entity> datastores, Map<String, Long> room) {
        boolean take(String datastoreId) {
            long left = datastoreId == null ? 0 : room.getOrDefault(datastoreId, 0L);
            if (left <= 0) {
                return false;
            }
            room.put(datastoreId, left - 1);
            return true;
        }
    }

    /**
     * Locks the candidates' datastores, then counts what runs on them: the count comes after the lock, so a claim
     * that committed meanwhile is seen and concurrency holds. The first round waits for the locks, taken in id order;
     * later rounds, which already hold some, skip datastores locked by others (as if full) rather than risk a
     * deadlock with a claimer that holds those and waits for these.
     */
    private Slots slots(Connection c, List<Entity> candidates, boolean wait) throws SQLException {
        Set<String> ids = new TreeSet<>();
        candidates.forEach(a -> {
            if (a.text("datastore_id") != null) {
                ids.add(a.text("datastore_id"));
            }
        });
        Map<String, Entity> datastores = new HashMap<>();
        for (Entity d : store.selectWhere(c, EntityType.DATASTORE,
                "id = ANY(?) ORDER BY id FOR UPDATE" + (wait ? "" : " SKIP LOCKED"), ids)) {
            if ("ACTIVE".equals(d.text("state"))) {
                datastores.put(d.id(), d);
            }
        }
        Map<String, Long> room = new HashMap<>();
        datastores.values().forEach(d -> room.put(d.id(), (long) d.data().path("concurrency").asInt(1)));
        if (room.isEmpty()) {
            return new Slots(datastores, room);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT datastore_id, count(*) FROM action"
                + " WHERE datastore_id = ANY(?) AND state IN ('PENDING', 'RUNNING') GROUP BY datastore_id")) {
            ps.setArray(1, c.createArrayOf("text", room.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    room.merge(rs.getString(1), -rs.getLong(2), Long::sum);
                }
            }
        }
        return new Slots(datastores, room);
    }
}

package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The original's TRY_NEXT_ACTION for ad-hoc actions (posted to a datastore, outside any run): on an ACTIVE datastore
 * the platform queues them itself, one at a time, lowest {@code order_idx} first, beside whatever workflow steps run
 * there. It is asked whenever that could change: actions were posted, one of them ended, the datastore became ACTIVE.
 */
@Singleton
public class AdHocQueue {
    private final EntityStore store;
    private final ActionQueue queue;
    private final SubscriptionConsumption consumption;
    private final Clock clock;

    public AdHocQueue(EntityStore store, ActionQueue queue, SubscriptionConsumption consumption, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.consumption = consumption;
        this.clock = clock;
    }

    /**
     * Queues the next waiting ad-hoc action of each datastore that is ACTIVE and has none under way. The datastore
     * row is locked first, so two transactions never queue two at once; datastores are taken in id order, as claims
     * take them, so the two cannot deadlock.
     */
    public List<Entity> tryNext(Connection c, Collection<String> datastoreIds) throws SQLException {
        List<Entity> queuedNow = new ArrayList<>();
        for (String id : new TreeSet<>(datastoreIds)) {
            Optional<Entity> datastore = store.findForUpdate(c, EntityType.DATASTORE, id);
            if (datastore.isEmpty() || !"ACTIVE".equals(datastore.get().text("state")) || underWay(c, id)) {
                continue;
            }
            Optional<Entity> next = nextWaiting(c, id);
            if (next.isPresent()) {
                Entity action = next.get();
                ObjectNode data = action.data().deepCopy();
                data.put("state", ActionStateMachine.require(ActionState.HAS_NEVER_RUN, ActionEvent.ENQUEUE,
                        action.id()).name());
                data.put("queued_time", Timestamps.format(Timestamps.now(clock)));
                Entity queued = store.update(c, action, data);
                consumption.assignAdHoc(c, queued.id(), queued);
                queue.notifyQueued(c, queued.text("engine_name"));
                queuedNow.add(queued);
            }
        }
        return queuedNow;
    }

    /** {@link #tryNext(Connection, Collection)} of one datastore; answers the action it queued, if any. */
    public List<Entity> tryNext(Connection c, String datastoreId) throws SQLException {
        return tryNext(c, List.of(datastoreId));
    }

    private static boolean underWay(Connection c, String datastoreId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM action WHERE datastore_id = ?"
                + " AND workflow_instance_id IS NULL AND state IN ('QUEUED', 'PENDING', 'RUNNING', 'FINISHING')"
                + " LIMIT 1")) {
            ps.setString(1, datastoreId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Skips a row another transaction holds (a client editing it), which asks again when it is done. */
    private static Optional<Entity> nextWaiting(Connection c, String datastoreId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM action"
                + " WHERE datastore_id = ? AND workflow_instance_id IS NULL AND state = 'HAS_NEVER_RUN'"
                + " ORDER BY (data ->> 'order_idx')::numeric NULLS LAST, created, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, datastoreId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(EntityStore.read(EntityType.ACTION, rs)) : Optional.empty();
            }
        }
    }
}

package io.dartmart.domain.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.execution.Outbox;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The lease on listing a subscription. A worker claims a QUEUED subscription (GENERATING), proves it is alive with
 * every page it stores, and finishes it ACTIVE or FAILED. A GENERATING subscription whose worker has been silent for
 * longer than the lease is claimed again by another worker, which goes on after the last key stored. Several workers
 * never list one subscription at once: claims lock the row with SKIP LOCKED, and each page checks the lease is
 * still held.
 */
@Singleton
public class SubscriptionGenerations {
    /** Woken when a subscription is QUEUED. */
    public static final String CHANNEL = "dart_subscription";

    private final EntityStore store;
    private final Outbox outbox;
    private final Clock clock;

    public SubscriptionGenerations(EntityStore store, Outbox outbox, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A claimed listing: the subscription, and the key to go on after (null from the start). */
    public record Lease(Entity subscription, String worker, String lastKey) {
    }

    /** Wakes the subscription workers when the transaction commits. */
    public void signal(Connection c, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, subscriptionId);
            ps.execute();
        }
    }

    public void forget(Connection c, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscription_generation WHERE subscription_id = ?")) {
            ps.setString(1, subscriptionId);
            ps.executeUpdate();
        }
    }

    /** Claims a QUEUED subscription, or one whose worker died; empty when there is none. */
    public Optional<Lease> claim(Connection c, String worker, Duration lease) throws SQLException {
        String id = null;
        boolean resume = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM subscription WHERE state = 'QUEUED'"
                + " ORDER BY updated, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    id = rs.getString(1);
                }
            }
        }
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id FROM subscription s"
                    + " LEFT JOIN subscription_generation g ON g.subscription_id = s.id"
                    + " WHERE s.state = 'GENERATING' AND (g.heartbeat IS NULL OR g.heartbeat < now() - ? * interval '1 millisecond')"
                    + " ORDER BY s.updated, s.id LIMIT 1 FOR UPDATE OF s SKIP LOCKED")) {
                ps.setLong(1, lease.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                        resume = true;
                    }
                }
            }
        }
        if (id == null) {
            return Optional.empty();
        }
        Entity subscription = store.get(c, EntityType.SUBSCRIPTION, id);
        if (!resume) {
            subscription = store.update(c, subscription, subscription.data().deepCopy().put("state", "GENERATING"));
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscription_generation"
                + " (subscription_id, worker, heartbeat, last_key) VALUES (?, ?, now(), NULL)"
                + " ON CONFLICT (subscription_id) DO UPDATE SET worker = excluded.worker, heartbeat = now(),"
                + " last_key = CASE WHEN ? THEN subscription_generation.last_key END"
                + " RETURNING last_key")) {
            ps.setString(1, id);
            ps.setString(2, worker);
            ps.setBoolean(3, resume);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new Lease(subscription, worker, rs.getString(1)));
            }
        }
    }

    /**
     * Records that the listing got to {@code lastKey}; answers false when the lease is lost (another worker took
     * over, or a client made the subscription INACTIVE or deleted it), and the listing must stop.
     */
    public boolean progress(Connection c, Lease lease, String lastKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE subscription_generation g SET heartbeat = now(),"
                + " last_key = coalesce(?, g.last_key) FROM subscription s WHERE g.subscription_id = ? AND g.worker = ?"
                + " AND s.id = g.subscription_id AND s.state = 'GENERATING'")) {
            ps.setString(1, lastKey);
            ps.setString(2, lease.subscription().id());
            ps.setString(3, lease.worker());
            return ps.executeUpdate() == 1;
        }
    }

    /** The listing is complete: ACTIVE. */
    public boolean succeed(Connection c, Lease lease, long elements) throws SQLException {
        return end(c, lease, "ACTIVE", null, elements);
    }

    public boolean fail(Connection c, Lease lease, String reason) throws SQLException {
        return end(c, lease, "FAILED", reason, 0);
    }

    private boolean end(Connection c, Lease lease, String state, String reason, long elements) throws SQLException {
        Entity current = store.findForUpdate(c, EntityType.SUBSCRIPTION, lease.subscription().id()).orElse(null);
        if (current == null || !"GENERATING".equals(current.text("state")) || !progress(c, lease, null)) {
            return false;
        }
        ObjectNode data = current.data().deepCopy();
        data.put("state", state);
        if (reason == null) {
            data.put("generated_time", Timestamps.format(Timestamps.now(clock)));
            data.putNull("error_message");
        } else {
            data.put("error_message", reason);
        }
        store.update(c, current, data);
        forget(c, current.id());
        String list = reason == null ? "on_success_email" : "on_failure_email";
        if (data.path(list).size() > 0) {
            ObjectNode fields = Json.object();
            fields.put("subscription_id", current.id());
            fields.put("state", state);
            fields.put("elements_added", elements);
            outbox.add(c, Calls.SUBSCRIPTION_ENDED, fields);
        }
        return true;
    }
}

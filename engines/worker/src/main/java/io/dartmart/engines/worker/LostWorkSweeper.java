package io.dartmart.engines.worker;

import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.engines.worker.launch.Launcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds work that will never finish by itself and ends the attempt, which retries it while the action's retries
 * allow and fails it otherwise: a launched task that never checked its action out, a RUNNING action whose engine
 * stopped sending heartbeats, one past its {@code timeout_seconds}, one whose ECS task or process stopped. It also
 * wakes claimers when a retried action's delay is over. Each action is handled in its own transaction under its
 * locks, so several sweepers can run at once.
 */
public class LostWorkSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(LostWorkSweeper.class);

    private final Db db;
    private final EntityStore store;
    private final ActionOutcomes outcomes;
    private final ActionQueue queue;
    private final Map<String, Launcher> launchers;
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Duration checkoutTimeout;

    public LostWorkSweeper(Db db, EntityStore store, ActionOutcomes outcomes, ActionQueue queue,
                           Map<String, Launcher> launchers, Clock clock, Duration heartbeatTimeout,
                           Duration checkoutTimeout) {
        this.db = db;
        this.store = store;
        this.outcomes = outcomes;
        this.queue = queue;
        this.launchers = launchers;
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.checkoutTimeout = checkoutTimeout;
    }

    /** One pass; answers how many attempts it ended. */
    public int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        Map<String, Entity> engines = new java.util.HashMap<>();
        db.read(c -> store.all(c, EntityType.ENGINE, ListQuery.of(List.of())))
                .forEach(e -> engines.put(e.text("name"), e));
        for (Entity action : inFlight()) {
            Optional<String> reason = lost(action, now, engines);
            if (reason.isPresent() && end(action.id(), action.text("state"), reason.get())) {
                ended++;
            }
        }
        wakeDueRetries(now);
        return ended;
    }

    private List<Entity> inFlight() {
        return db.read(c -> {
            List<Entity> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM action"
                    + " WHERE state IN ('PENDING', 'RUNNING')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(EntityStore.read(EntityType.ACTION, rs));
                }
            }
            return out;
        });
    }

    private Optional<String> lost(Entity action, Instant now, Map<String, Entity> engines) {
        boolean pending = ActionState.PENDING.name().equals(action.text("state"));
        if (pending) {
            Instant launched = time(action, "launched_time");
            if (launched != null && launched.plus(checkoutTimeout).isBefore(now)) {
                return Optional.of("the engine task never checked the action out within "
                        + checkoutTimeout.toSeconds() + " s");
            }
        } else {
            Instant beat = time(action, "heartbeat_time");
            if (beat != null && beat.plus(heartbeatTimeout).isBefore(now)) {
                return Optional.of("lost: no heartbeat from the engine for " + heartbeatTimeout.toSeconds() + " s");
            }
            Instant started = time(action, "start_time");
            long timeout = action.data().path("timeout_seconds").asLong(0);
            if (timeout > 0 && started != null && started.plusSeconds(timeout).isBefore(now)) {
                return Optional.of("timed out after " + timeout + " s");
            }
        }
        String handle = action.text("launch_handle");
        if (handle == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(engines.get(action.text("engine_name")))
                .flatMap(engine -> EngineWorker.launcherType(engine).map(launchers::get)
                .flatMap(l -> l.stoppedReason(engine, handle)))
                .map(reason -> "the engine task stopped: " + reason);
    }

    private boolean end(String actionId, String seenState, String reason) {
        try {
            return db.tx(c -> {
                Entity instance = outcomes.lockInstanceOf(c, actionId).orElse(null);
                Entity action = store.getForUpdate(c, EntityType.ACTION, actionId);
                if (!seenState.equals(action.text("state"))) {
                    return false;
                }
                LOG.warn("action {} ({}): {}", actionId, action.text("name"), reason);
                outcomes.endAttempt(c, action, instance, false, reason);
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not end the lost attempt of action {}: {}", actionId, e.getMessage());
            return false;
        }
    }

    /** A retried action waits until its not_before; claimers only look when told, so tell them. */
    private void wakeDueRetries(Instant now) {
        db.tx(c -> {
            Set<String> engines = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT engine_name FROM action WHERE state = 'QUEUED'"
                    + " AND data ->> 'not_before' IS NOT NULL AND data ->> 'not_before' <= ?")) {
                ps.setString(1, Timestamps.format(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        engines.add(rs.getString(1));
                    }
                }
            }
            for (String engine : engines) {
                queue.notifyQueued(c, engine);
            }
            return null;
        });
    }

    private static Instant time(Entity action, String field) {
        String text = action.text(field);
        return text == null ? null : OffsetDateTime.parse(text).toInstant();
    }
}

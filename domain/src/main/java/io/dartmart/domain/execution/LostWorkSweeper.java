package io.dartmart.domain.execution;

import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds work that will never finish by itself and ends its attempt: a launched task that never checked its action
 * out, a RUNNING action whose engine stopped sending heartbeats, or whose task or process stopped, are LOST (queued
 * again without using the step's retries, a few times); one past its {@code timeout_seconds} has FAILED (the step's
 * retries apply). It also wakes claimers when a retried action's delay is over. Each action is handled in its own
 * transaction under its locks, so two sweepers at once do no harm.
 */
@Singleton
public class LostWorkSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(LostWorkSweeper.class);
    private static final Set<ActionState> IN_FLIGHT = EnumSet.of(ActionState.PENDING, ActionState.RUNNING);

    private final Db db;
    private final EntityStore store;
    private final ActionOutcomes outcomes;
    private final ActionQueue queue;
    private final Map<String, LaunchedTasks> launchers = new HashMap<>();
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Duration checkoutTimeout;

    public LostWorkSweeper(Db db, EntityStore store, ActionOutcomes outcomes, ActionQueue queue,
                           Collection<LaunchedTasks> launchers, Clock clock,
                           @Value("${dart.execution.heartbeat-timeout:30s}") Duration heartbeatTimeout,
                           @Value("${dart.execution.checkout-timeout:60s}") Duration checkoutTimeout) {
        this.db = db;
        this.store = store;
        this.outcomes = outcomes;
        this.queue = queue;
        launchers.forEach(l -> this.launchers.put(l.type(), l));
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.checkoutTimeout = checkoutTimeout;
    }

    /** One pass; answers how many attempts it ended. */
    public int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        Map<String, Entity> engines = new HashMap<>();
        db.readWithCustomPlans(c -> store.all(c, EntityType.ENGINE, ListQuery.of(List.of())))
                .forEach(e -> engines.put(e.text("name"), e));
        for (Entity action : inFlight("state IN ('PENDING', 'RUNNING')", List.of())) {
            Optional<Ended> reason = ended(action, now, engines);
            if (reason.isPresent() && end(action, reason.get())) {
                ended++;
            }
        }
        wakeDueRetries(now);
        return ended;
    }

    /**
     * Ends as LOST every attempt of these engines' in-flight actions: for a process that starts anew the engines
     * that died with its previous run, whose work no one holds any more. Answers how many.
     */
    public int reclaim(Collection<String> engineNames, String how) {
        int ended = 0;
        for (Entity action : inFlight("state IN ('PENDING', 'RUNNING') AND engine_name = ANY(?)",
                List.copyOf(engineNames))) {
            if (end(action, new Ended(ActionOutcomes.Ending.LOST, how))) {
                ended++;
            }
        }
        return ended;
    }

    private List<Entity> inFlight(String where, List<String> engineNames) {
        return db.readWithCustomPlans(c -> {
            List<Entity> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM action"
                    + " WHERE " + where)) {
                if (!engineNames.isEmpty()) {
                    ps.setArray(1, c.createArrayOf("text", engineNames.toArray()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(EntityStore.read(EntityType.ACTION, rs));
                    }
                }
            }
            return out;
        });
    }

    /** Why an attempt is over although no engine said so. */
    private record Ended(ActionOutcomes.Ending ending, String how) {
    }

    private Optional<Ended> ended(Entity action, Instant now, Map<String, Entity> engines) {
        boolean pending = ActionState.PENDING.name().equals(action.text("state"));
        if (pending) {
            Instant launched = time(action, "launched_time");
            if (launched != null && launched.plus(checkoutTimeout).isBefore(now)) {
                return lost("the engine task never checked the action out within " + checkoutTimeout.toSeconds()
                        + " s");
            }
        } else {
            Instant beat = time(action, "heartbeat_time");
            if (beat != null && beat.plus(heartbeatTimeout).isBefore(now)) {
                return lost("no heartbeat from the engine for " + heartbeatTimeout.toSeconds() + " s");
            }
            Instant started = time(action, "start_time");
            long timeout = action.data().path("timeout_seconds").asLong(0);
            if (timeout > 0 && started != null && started.plusSeconds(timeout).isBefore(now)) {
                return Optional.of(new Ended(ActionOutcomes.Ending.FAILURE, "timed out after " + timeout + " s"));
            }
        }
        String handle = action.text("launch_handle");
        if (handle == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(engines.get(action.text("engine_name")))
                .flatMap(engine -> LaunchedTasks.typeOf(engine).map(launchers::get)
                        .flatMap(l -> l.stoppedReason(engine, handle)))
                .flatMap(reason -> lost("the engine task stopped: " + reason));
    }

    private static Optional<Ended> lost(String how) {
        return Optional.of(new Ended(ActionOutcomes.Ending.LOST, how));
    }

    private boolean end(Entity seen, Ended ended) {
        try {
            return db.tx(c -> outcomes.endIfStill(c, seen.id(), EnumSet.of(ActionState.valueOf(seen.text("state"))),
                    ended.ending(), ended.how())).map(a -> {
                        LOG.warn("action {} ({}): {}", a.id(), a.text("name"), a.text("error_message"));
                        return true;
                    }).orElse(false);
        } catch (RuntimeException e) {
            LOG.warn("could not end the attempt of action {}: {}", seen.id(), e.getMessage());
            return false;
        }
    }

    /** A retried action waits until its not_before; claimers only look when told, so tell them. */
    private void wakeDueRetries(Instant now) {
        db.tx(c -> {
            Set<String> engines = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT engine_name FROM action"
                    + " WHERE state = 'QUEUED' AND data ->> 'not_before' IS NOT NULL AND data ->> 'not_before' <= ?")) {
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

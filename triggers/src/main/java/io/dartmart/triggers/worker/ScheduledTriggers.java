package io.dartmart.triggers.worker;

import com.cronutils.model.time.ExecutionTime;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.SchedulePoint;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.triggers.type.CronPatterns;
import io.dartmart.triggers.type.ScheduledTrigger;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Scheduled triggers, evaluated by the trigger workers against the database (not one cloud rule per trigger). For
 * each ACTIVE trigger, the latest scheduled time not yet fired fires once: a row per (trigger, fire time) is inserted
 * by whichever worker gets there first, so several workers never fire a minute twice, and after downtime the missed
 * fires collapse into one.
 */
@Singleton
public class ScheduledTriggers {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTriggers.class);

    private final Db db;
    private final EntityStore store;
    private final TriggerFiring firing;
    private final Clock clock;

    public ScheduledTriggers(Db db, EntityStore store, TriggerFiring firing, Clock clock) {
        this.db = db;
        this.store = store;
        this.firing = firing;
        this.clock = clock;
    }

    /** Fires what is due now; answers how many triggers fired. */
    public int evaluate() {
        List<Entity> triggers = db.read(c -> store.all(c, EntityType.TRIGGER, ListQuery.of(List.of(
                Filter.eq("trigger_type_name", ScheduledTrigger.NAME), Filter.eq("state", "ACTIVE")))));
        int fired = 0;
        for (Entity t : triggers) {
            try {
                if (db.tx(c -> fireIfDue(c, t))) {
                    fired++;
                }
            } catch (RuntimeException e) {
                LOG.warn("scheduled trigger {} ({}): {}", t.id(), t.text("name"), e.getMessage());
            }
        }
        return fired;
    }

    private boolean fireIfDue(Connection c, Entity trigger) throws SQLException {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var cron = CronPatterns.parse(trigger.data().path("args").path("cron_pattern").asText(), "cron_pattern");
        Optional<ZonedDateTime> due = ExecutionTime.forCron(cron).lastExecution(now.plusNanos(1_000_000));
        if (due.isEmpty()) {
            return false;
        }
        Instant since = lastFire(c, trigger.id()).filter(l -> l.isAfter(trigger.updated())).orElse(trigger.updated());
        if (!due.get().toInstant().isAfter(since)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trigger_fire (trigger_id, fire_time) VALUES (?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, trigger.id());
            ps.setObject(2, OffsetDateTime.ofInstant(due.get().toInstant(), ZoneOffset.UTC));
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        Entity current = store.find(c, EntityType.TRIGGER, trigger.id()).orElse(null);
        if (current == null || !"ACTIVE".equals(current.text("state"))) {
            return false;
        }
        LOG.info("scheduled trigger {} ({}) fires for {}", trigger.id(), trigger.text("name"), due.get());
        Instant point = due.get().toInstant();
        firing.fire(c, current, WorkflowRuns.RunOptions.at(new SchedulePoint(point, CronPatterns.next(cron, point),
                null)));
        return true;
    }

    private static Optional<Instant> lastFire(Connection c, String triggerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(fire_time) FROM trigger_fire WHERE trigger_id = ?")) {
            ps.setString(1, triggerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
            }
        }
    }
}

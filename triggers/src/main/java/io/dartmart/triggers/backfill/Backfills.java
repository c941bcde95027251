package io.dartmart.triggers.backfill;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.triggers.type.CronPatterns;
import io.dartmart.triggers.type.ScheduledTrigger;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backfills as the API offers them: asking for one (or a dry run of it), reading its progress, cancelling it. The
 * runs themselves are started by the trigger workers ({@link BackfillRunner}).
 */
@Singleton
public class Backfills {
    /** Runs one backfill may ask for (schedule points times the trigger's workflows). */
    public static final int MAX_RUNS = 10_000;
    static final List<String> POINT_STATES = List.of("PENDING", "RUNNING", "COMPLETED", "FAILED", "SKIPPED",
            "CANCELLED");

    private final Db db;
    private final EntityStore store;
    private final Clock clock;

    public Backfills(Db db, EntityStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** One schedule point and its data interval. */
    record Point(Instant start, Instant end) {
    }

    /** Asks for a backfill of a scheduled trigger; a dry run answers its schedule points and stores nothing. */
    public ObjectNode request(String triggerId, BackfillRequest request, Caller caller) {
        Instant now = clock.instant();
        if (request.end().isAfter(now)) {
            throw new InvalidInputException("/end: " + Timestamps.format(request.end()) + " is in the future; the"
                    + " schedule runs future points itself");
        }
        Entity trigger = db.read(c -> store.get(c, EntityType.TRIGGER, triggerId));
        if (!ScheduledTrigger.NAME.equals(trigger.text("trigger_type_name"))) {
            throw new InvalidInputException("trigger '" + triggerId + "' is a " + trigger.text("trigger_type_name")
                    + " trigger; only a scheduled trigger has schedule points to backfill");
        }
        List<String> workflows = new ArrayList<>();
        trigger.data().path("workflow_ids").forEach(w -> workflows.add(w.asText()));
        if (workflows.isEmpty()) {
            throw new InvalidInputException("trigger '" + triggerId + "' has no workflows to run");
        }
        List<Point> points = points(CronPatterns.parse(trigger.data().path("args").path("cron_pattern").asText(),
                "cron_pattern"), request, MAX_RUNS / workflows.size());
        if (request.dryRun()) {
            ObjectNode answer = Json.object();
            answer.put("trigger_id", triggerId);
            answer.put("count", points.size());
            ArrayNode list = answer.putArray("points");
            for (Point p : points) {
                list.addObject().put("data_interval_start", Timestamps.format(p.start()))
                        .put("data_interval_end", Timestamps.format(p.end()));
            }
            return answer;
        }
        String id = Ids.newId();
        return db.tx(c -> {
            insert(c, id, triggerId, request, caller, now);
            insertPoints(c, id, workflows, points);
            return view(c, id).orElseThrow();
        });
    }

    /** The schedule's points from the request's start to its end, both included, at most {@code max} of them. */
    static List<Point> points(Cron cron, BackfillRequest request, int max) {
        ExecutionTime schedule = ExecutionTime.forCron(cron);
        ZonedDateTime at = request.start().atZone(ZoneOffset.UTC);
        Optional<ZonedDateTime> next = schedule.isMatch(at) ? Optional.of(at) : schedule.nextExecution(at);
        List<Point> points = new ArrayList<>();
        while (next.isPresent() && !next.get().toInstant().isAfter(request.end())) {
            if (points.size() == max) {
                throw new InvalidInputException("the range holds more than " + max + " schedule points; a backfill"
                        + " runs at most " + MAX_RUNS + " runs (points times the trigger's workflows): split it");
            }
            Optional<ZonedDateTime> following = schedule.nextExecution(next.get());
            Instant point = next.get().toInstant();
            points.add(new Point(point, following.map(ZonedDateTime::toInstant).orElse(point)));
            next = following;
        }
        return points;
    }

    private static void insert(Connection c, String id, String triggerId, BackfillRequest r, Caller caller,
                               Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO backfill (id, trigger_id, state, range_start,"
                + " range_end, reprocess, max_active_runs, user_id, created, updated)"
                + " VALUES (?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, triggerId);
            ps.setObject(3, utc(r.start()));
            ps.setObject(4, utc(r.end()));
            ps.setString(5, r.reprocess());
            ps.setInt(6, r.maxActiveRuns());
            ps.setString(7, caller.userId());
            ps.setObject(8, utc(now));
            ps.setObject(9, utc(now));
            ps.executeUpdate();
        }
    }

    private static void insertPoints(Connection c, String id, List<String> workflows, List<Point> points)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO backfill_point (backfill_id, workflow_id, point,"
                + " next_point, state) VALUES (?, ?, ?, ?, 'PENDING')")) {
            for (Point p : points) {
                for (String wf : workflows) {
                    ps.setString(1, id);
                    ps.setString(2, wf);
                    ps.setObject(3, utc(p.start()));
                    ps.setObject(4, utc(p.end()));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** The backfill with its progress: how many of its runs are in each state. */
    public ObjectNode get(String id) {
        return db.read(c -> view(c, id)).orElseThrow(() -> new NotFoundException("no backfill '" + id + "'"));
    }

    /**
     * Stops the backfill: no further run starts and its pending points become CANCELLED; runs already started go on
     * (cancel them as any run). 409 unless it is RUNNING.
     */
    public ObjectNode cancel(String id) {
        return db.tx(c -> {
            String state = stateForUpdate(c, id).orElseThrow(() -> new NotFoundException("no backfill '" + id + "'"));
            if (!"RUNNING".equals(state)) {
                throw new ConflictException("backfill '" + id + "' is " + state + "; only a RUNNING backfill cancels");
            }
            cancel(c, id);
            return view(c, id).orElseThrow();
        });
    }

    /** CANCELLED, with its pending points; the caller holds the backfill's row lock. */
    static void cancel(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE backfill SET state = 'CANCELLED', updated = now()"
                + " WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE backfill_point SET state = 'CANCELLED'"
                + " WHERE backfill_id = ? AND state = 'PENDING'")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static Optional<String> stateForUpdate(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM backfill WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<ObjectNode> view(Connection c, String id) throws SQLException {
        ObjectNode out = Json.object();
        try (PreparedStatement ps = c.prepareStatement("SELECT trigger_id, state, range_start, range_end, reprocess,"
                + " max_active_runs, user_id, created, updated FROM backfill WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                out.put("id", id);
                out.put("trigger_id", rs.getString(1));
                out.put("state", rs.getString(2));
                out.put("start", format(rs.getTimestamp(3)));
                out.put("end", format(rs.getTimestamp(4)));
                out.put("reprocess", rs.getString(5));
                out.put("max_active_runs", rs.getInt(6));
                out.put("user_id", rs.getString(7));
                out.put("created", format(rs.getTimestamp(8)));
                out.put("updated", format(rs.getTimestamp(9)));
            }
        }
        ObjectNode progress = out.putObject("progress");
        POINT_STATES.forEach(s -> progress.put(s.toLowerCase(), 0));
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM backfill_point"
                + " WHERE backfill_id = ? GROUP BY state")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    progress.put(rs.getString(1).toLowerCase(), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
        }
        progress.put("total", total);
        return Optional.of(out);
    }

    private static String format(Timestamp t) {
        return Timestamps.format(t.toInstant());
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}

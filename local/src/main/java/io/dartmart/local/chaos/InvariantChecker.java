package io.dartmart.local.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a finished chaos run's invariants from the database, the engines' own record and the harness's record of
 * acknowledged writes. Each broken invariant is a line in {@link Result#violations}; the counts say how much was
 * checked.
 */
final class InvariantChecker {
    private static final Set<String> TABLES = Set.of("datastore", "workflow", "action", "trigger", "dataset",
            "subscription", "event");

    /** What was checked and what broke. */
    record Result(Map<String, Long> counts, List<String> violations, List<Instant> progress) {
    }

    private record Run(String id, String workflow, String state, String triggerType, String triggerId,
                       String batch) {
    }

    private final Topology topology;
    private final List<DartClient.Ack> acks;
    private final LoadGenerator load;
    private final HolderRecord holders;
    private final Map<Long, ProcessSupervisor.Life> lives;
    private final Instant scheduleEnded;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    InvariantChecker(Topology topology, List<DartClient.Ack> acks, LoadGenerator load, HolderRecord holders,
                     Map<Long, ProcessSupervisor.Life> lives, Instant scheduleEnded) {
        this.topology = topology;
        this.acks = acks;
        this.load = load;
        this.holders = holders;
        this.lives = lives;
        this.scheduleEnded = scheduleEnded;
    }

    Result check(Connection c) throws SQLException {
        List<Run> runs = runs(c);
        runsEnded(c, runs);
        noDoubleHolds();
        firings(c, runs);
        subscriptionElements(c, runs);
        acknowledgedWrites(c);
        return new Result(counts, violations, progress(c));
    }

    private void runsEnded(Connection c, List<Run> runs) throws SQLException {
        for (Run run : runs) {
            boolean mustFail = topology.failingWorkflows().contains(run.workflow);
            count("runs " + run.state);
            if (!run.state.equals(mustFail ? "FAILED" : "COMPLETED")) {
                violations.add("run " + run.id + " of workflow " + run.workflow + " is " + run.state + ", not "
                        + (mustFail ? "FAILED" : "COMPLETED"));
            }
        }
        for (String[] a : rows(c, "SELECT id, state, coalesce(data->>'error_message', '') FROM action"
                + " WHERE workflow_instance_id IS NOT NULL")) {
            count("actions " + a[1]);
            if (a[1].equals("FAILED") && !a[2].contains(ChaosEngine.FAILURE)) {
                violations.add("action " + a[0] + " FAILED not on purpose: " + a[2]);
            } else if (!Set.of("COMPLETED", "FAILED", "SKIPPED").contains(a[1])) {
                violations.add("action " + a[0] + " did not end: " + a[1]);
            }
        }
    }

    /**
     * No two workers held an action at once, unless the earlier holder was SIGSTOPped before the later one began: then
     * the server rightly counted its action as lost and queued it again, and the paused holder is counted as
     * superseded (its late check-in is refused).
     */
    private void noDoubleHolds() {
        counts.put("engine holds", (long) holders.holds);
        for (List<HolderRecord.Hold> holds : holders.holdsByAction.values()) {
            for (int i = 0; i < holds.size(); i++) {
                for (int j = i + 1; j < holds.size(); j++) {
                    HolderRecord.Hold a = holds.get(i);
                    HolderRecord.Hold b = holds.get(j);
                    if (!a.overlaps(b)) {
                        continue;
                    }
                    boolean aFirst = !a.start().isAfter(b.start());
                    if (pausedBefore(aFirst ? a : b, aFirst ? b.start() : a.start())) {
                        count("holds superseded after SIGSTOP");
                    } else {
                        violations.add("action " + a.actionId() + " was held at once by " + a + " and " + b);
                    }
                }
            }
        }
    }

    /**
     * How long before its handler started a hold's action may have been checked out: the record starts with the
     * handler, and a SIGSTOP that lands between the checkout and the handler's start loses the action just the same.
     */
    private static final Duration CHECKOUT_TO_HANDLER = Duration.ofSeconds(10);

    /**
     * Whether the process of {@code hold} was paused at some time between its action's checkout (at most
     * {@link #CHECKOUT_TO_HANDLER} before the hold's start) and {@code then}.
     */
    private boolean pausedBefore(HolderRecord.Hold hold, Instant then) {
        ProcessSupervisor.Life life = lives.get(hold.pid());
        if (life == null) {
            return false;
        }
        for (Instant[] pause : life.pauses) {
            if (pause[0].isBefore(then)
                    && (pause[1] == null || pause[1].isAfter(hold.start().minus(CHECKOUT_TO_HANDLER)))) {
                return true;
            }
        }
        return false;
    }

    private void firings(Connection c, List<Run> runs) throws SQLException {
        Map<String, Integer> started = new HashMap<>();
        for (Run run : runs) {
            started.merge(run.workflow + "/" + run.triggerType + "/" + run.triggerId, 1, Integer::sum);
        }
        // manual runs: each acknowledged one started once; one sent without an answer may have
        Map<String, Integer> acked = new HashMap<>();
        acks.stream().filter(a -> a.kind().equals("manual")).forEach(a -> acked.merge(a.id(), 1, Integer::sum));
        for (String workflow : List.of(topology.sequential(), topology.failing(), topology.continuing())) {
            int n = started.getOrDefault(workflow + "/manual/null", 0);
            int want = acked.getOrDefault(workflow, 0);
            count("manual runs", n);
            if (n < want || n > want + load.unanswered(workflow)) {
                violations.add("workflow " + workflow + " ran " + n + " time(s) by hand; " + want
                        + " acknowledged, " + load.unanswered(workflow) + " unanswered");
            }
        }
        long completedSequential = runs.stream().filter(r -> r.workflow.equals(topology.sequential())
                && r.state.equals("COMPLETED")).count();
        for (String fanOut : List.of(topology.fanOutA(), topology.fanOutB())) {
            expect("runs by workflow_completion", started.getOrDefault(fanOut
                    + "/workflow_completion/" + topology.completionTrigger(), 0), completedSequential);
        }
        List<Instant> fires = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT fire_time FROM trigger_fire WHERE trigger_id = ?"
                + " ORDER BY fire_time")) {
            ps.setString(1, topology.scheduledTrigger());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fires.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
        }
        count("scheduled fires", fires.size());
        expect("runs of the scheduled workflow", started.getOrDefault(topology.scheduled() + "/scheduled/"
                + topology.scheduledTrigger(), 0), fires.size());
        for (int i = 1; i < fires.size(); i++) {
            if (!Duration.between(fires.get(i - 1), fires.get(i)).equals(Duration.ofMinutes(1))) {
                violations.add("scheduled minutes " + fires.get(i - 1) + " and " + fires.get(i)
                        + " are not one minute apart: a minute was missed");
            }
        }
        if (!fires.isEmpty() && fires.get(fires.size() - 1).isBefore(scheduleEnded.minus(Duration.ofMinutes(2)))) {
            violations.add("the scheduled trigger last fired for " + fires.get(fires.size() - 1) + ", though it was"
                    + " ACTIVE until " + scheduleEnded);
        }
        expect("runs by the super trigger", started.getOrDefault(
                topology.superChained() + "/super/" + topology.superTrigger(), 0), completedSequential + fires.size());
    }

    private void subscriptionElements(Connection c, List<Run> runs) throws SQLException {
        Map<String, String[]> elements = new HashMap<>();
        Set<String> batches = new HashSet<>();
        for (String[] e : rows(c, "SELECT s3_path, state, coalesce(action_id, ''), coalesce(batch_id, '')"
                + " FROM subscription_element WHERE subscription_id = ?", topology.subscription())) {
            elements.put(e[0], e);
            count("elements " + e[1]);
            if (!e[3].isEmpty()) {
                batches.add(e[3]);
            }
            if (!Set.of("CONSUMED", "UNCONSUMED").contains(e[1])) {
                violations.add("element " + e[0] + " is still " + e[1]);
            }
        }
        for (DartClient.Ack upload : acks.stream().filter(a -> a.kind().equals("upload")).toList()) {
            count("uploads acknowledged");
            if (!elements.containsKey(upload.id())) {
                violations.add("uploaded file " + upload.id() + " is no element of the subscription: lost");
            }
        }
        holders.readersByPath.forEach((path, readers) -> {
            if (readers.size() > 1) {
                violations.add("element " + path + " was consumed by " + readers.size() + " actions: " + readers);
            }
        });
        for (String[] e : rows(c, "SELECT e.s3_path, coalesce(a.state, 'missing') FROM subscription_element e"
                + " LEFT JOIN action a ON a.id = e.action_id WHERE e.subscription_id = ? AND e.state = 'CONSUMED'"
                + " AND a.state IS DISTINCT FROM 'COMPLETED'", topology.subscription())) {
            violations.add("element " + e[0] + " is CONSUMED by an action that is " + e[1]);
        }
        Map<String, Integer> runsPerBatch = new HashMap<>();
        runs.stream().filter(r -> r.workflow.equals(topology.consuming())).forEach(r ->
                runsPerBatch.merge(String.valueOf(r.batch), 1, Integer::sum));
        runsPerBatch.forEach((batch, n) -> {
            if (n != 1 || !batches.contains(batch)) {
                violations.add("subscription batch " + batch + " started " + n + " run(s)"
                        + (batches.contains(batch) ? "" : " and holds no element"));
            }
        });
        count("subscription batches", runsPerBatch.size());
    }

    private void acknowledgedWrites(Connection c) throws SQLException {
        count("writes refused or failed (not checked)", load.refused());
        for (DartClient.Ack ack : acks) {
            if (!TABLES.contains(ack.kind())) {
                continue;
            }
            count("writes acknowledged");
            if (rows(c, "SELECT id FROM " + ack.kind() + " WHERE id = ?", ack.id()).isEmpty()) {
                violations.add("acknowledged " + ack.kind() + " " + ack.id() + " is gone");
            }
        }
    }

    /** When actions ended, in order: the progress the recovery times are measured against. */
    private static List<Instant> progress(Connection c) throws SQLException {
        List<Instant> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT updated FROM action WHERE state IN ('COMPLETED',"
                + " 'FAILED') AND workflow_instance_id IS NOT NULL ORDER BY updated");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
            }
        }
        return out;
    }

    private List<Run> runs(Connection c) throws SQLException {
        List<Run> out = new ArrayList<>();
        for (String[] r : rows(c, "SELECT id, workflow_id, state, data->>'trigger_type', data->>'trigger_id',"
                + " data->>'subscription_batch_id' FROM workflow_instance")) {
            out.add(new Run(r[0], r[1], r[2], r[3], r[4], r[5]));
        }
        counts.put("runs", (long) out.size());
        return out;
    }

    private void expect(String what, long actual, long expected) {
        count(what, actual);
        if (actual != expected) {
            violations.add(what + ": " + actual + ", expected " + expected);
        }
    }

    private void count(String what) {
        count(what, 1);
    }

    private void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    private static List<String[]> rows(Connection c, String sql, String... params) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}

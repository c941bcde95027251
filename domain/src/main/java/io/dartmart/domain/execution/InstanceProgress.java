package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.OrderBy;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a run moves on. After any change to one of its actions, {@link #advance} queues the steps that became ready,
 * fails the run on a halting failure, or completes it when nothing is left. Without {@code depends_on} the steps run
 * one after the other in {@code order_idx} order; with it, every step whose dependencies are done runs, in parallel.
 * Callers hold the instance's row lock, so two actions finishing at once cannot both decide for the run.
 */
@Singleton
public class InstanceProgress {
    private static final Set<ActionState> UNFINISHED = EnumSet.of(ActionState.HAS_NEVER_RUN, ActionState.QUEUED,
            ActionState.PENDING, ActionState.RUNNING, ActionState.FINISHING);
    private static final Set<ActionState> NOT_STARTED = EnumSet.of(ActionState.HAS_NEVER_RUN, ActionState.QUEUED,
            ActionState.PENDING);

    private final EntityStore store;
    private final ActionQueue queue;
    private final Outbox outbox;
    private final Clock clock;
    private final SubscriptionConsumption consumption;

    public InstanceProgress(EntityStore store, ActionQueue queue, Outbox outbox, Clock clock,
                            SubscriptionConsumption consumption) {
        this.consumption = consumption;
        this.store = store;
        this.queue = queue;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * QUEUED -> RUNNING when its first action starts. SKIP LOCKED: whoever holds the instance is deciding for it and
     * will mark it running itself, so a claimer never waits on it.
     */
    public static void markRunning(Connection c, String instanceId, String now) throws SQLException {
        if (instanceId == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflow_instance SET data = data"
                + " || jsonb_build_object('state', 'RUNNING', 'start_time', ?::text),"
                + " version_id = version_id + 1, updated = now() WHERE id IN (SELECT id FROM workflow_instance"
                + " WHERE id = ? AND state = 'QUEUED' FOR UPDATE SKIP LOCKED)")) {
            ps.setString(1, now);
            ps.setString(2, instanceId);
            ps.executeUpdate();
        }
    }

    public List<Entity> actionsOf(Connection c, String instanceId) throws SQLException {
        return store.all(c, EntityType.ACTION, new ListQuery(List.of(Filter.eq("workflow_instance_id", instanceId)),
                List.of(new OrderBy(List.of("order_idx"), false)), ListQuery.MAX_LIMIT, 0));
    }

    /** Moves the run on; {@code instance} must be locked by the caller's transaction. */
    public void advance(Connection c, Entity instance) throws SQLException {
        String state = instance.text("state");
        if (!"QUEUED".equals(state) && !"RUNNING".equals(state)) {
            return;
        }
        List<Entity> actions = actionsOf(c, instance.id());
        for (Entity a : actions) {
            if (ActionState.valueOf(a.text("state")) == ActionState.FAILED && !continues(a)) {
                fail(c, instance, actions, a, "action '" + a.text("name") + "' failed: "
                        + (a.text("error_message") == null ? "no message" : a.text("error_message")));
                return;
            }
        }
        List<Entity> ready;
        try {
            ready = ready(actions);
        } catch (IllegalArgumentException e) {
            fail(c, instance, actions, null, e.getMessage());
            return;
        }
        String now = Timestamps.format(Timestamps.now(clock));
        Set<String> engines = new HashSet<>();
        for (Entity step : ready) {
            Entity locked = store.getForUpdate(c, EntityType.ACTION, step.id());
            if (ActionState.valueOf(locked.text("state")) != ActionState.HAS_NEVER_RUN) {
                continue;
            }
            ObjectNode data = locked.data().deepCopy();
            data.put("state", ActionStateMachine.require(ActionState.HAS_NEVER_RUN, ActionEvent.ENQUEUE, step.id()).name());
            data.put("queued_time", now);
            store.update(c, locked, data);
            engines.add(locked.text("engine_name"));
        }
        for (String engine : engines) {
            queue.notifyQueued(c, engine);
        }
        boolean unfinished = !ready.isEmpty() || actions.stream()
                .anyMatch(a -> UNFINISHED.contains(ActionState.valueOf(a.text("state"))));
        if (!unfinished) {
            end(c, instance, "COMPLETED", null);
        }
    }

    /** A FAILED step whose policy is CONTINUE counts as done. */
    private static boolean continues(Entity action) {
        return "CONTINUE".equals(action.text("on_failure"));
    }

    private static boolean done(Entity action) {
        ActionState s = ActionState.valueOf(action.text("state"));
        return s == ActionState.COMPLETED || (s == ActionState.FAILED && continues(action));
    }

    /** The HAS_NEVER_RUN steps whose predecessors are done; a dependency on an unknown step or a cycle is an error. */
    static List<Entity> ready(List<Entity> actions) {
        boolean graph = actions.stream().anyMatch(a -> a.data().path("depends_on").size() > 0);
        List<Entity> out = new ArrayList<>();
        if (!graph) {
            for (Entity a : actions) {
                ActionState s = ActionState.valueOf(a.text("state"));
                if (s == ActionState.HAS_NEVER_RUN) {
                    out.add(a);
                    break;
                }
                if (!done(a)) {
                    break;
                }
            }
            return out;
        }
        Map<String, Entity> byName = new HashMap<>();
        for (Entity a : actions) {
            byName.put(a.text("name"), a);
        }
        checkAcyclic(actions, byName);
        for (Entity a : actions) {
            if (ActionState.valueOf(a.text("state")) != ActionState.HAS_NEVER_RUN) {
                continue;
            }
            boolean allDone = true;
            for (JsonNode dep : a.data().path("depends_on")) {
                allDone &= done(byName.get(dep.asText()));
            }
            if (allDone) {
                out.add(a);
            }
        }
        return out;
    }

    private static void checkAcyclic(List<Entity> actions, Map<String, Entity> byName) {
        Map<String, Integer> mark = new HashMap<>();
        for (Entity a : actions) {
            visit(a, byName, mark);
        }
    }

    private static void visit(Entity a, Map<String, Entity> byName, Map<String, Integer> mark) {
        String name = a.text("name");
        Integer m = mark.get(name);
        if (m != null) {
            if (m == 1) {
                throw new IllegalArgumentException("the steps' depends_on form a cycle through '" + name + "'");
            }
            return;
        }
        mark.put(name, 1);
        for (JsonNode dep : a.data().path("depends_on")) {
            Entity target = byName.get(dep.asText());
            if (target == null) {
                throw new IllegalArgumentException("step '" + name + "' depends on '" + dep.asText()
                        + "', which is not a step of this workflow");
            }
            visit(target, byName, mark);
        }
        mark.put(name, 2);
    }

    /**
     * Fails the run: steps not started are skipped; the workflow is retried while retries remain, and only when it
     * finally fails does a DEACTIVATE policy deactivate it (and its datastore when the workflow says so).
     */
    public void fail(Connection c, Entity instance, List<Entity> actions, Entity failed, String message)
            throws SQLException {
        skipNotStarted(c, actions);
        Entity ended = end(c, instance, "FAILED", message);
        Entity workflow = store.find(c, EntityType.WORKFLOW, instance.text("workflow_id")).orElse(null);
        if (workflow == null) {
            return;
        }
        int retryNum = instance.data().path("retry_num").asInt(0);
        if (retryNum < workflow.data().path("retries_on_failure").asInt(0)) {
            ObjectNode fields = Json.object();
            fields.put("trigger_type_name", "retry");
            fields.put("workflow_id", workflow.id());
            fields.put("workflow_instance_id", ended.id());
            fields.put("retry_num", retryNum + 1);
            outbox.add(c, Calls.PROCESS_TRIGGER, fields);
            return;
        }
        if (failed != null && "DEACTIVATE".equals(failed.text("on_failure"))) {
            Entity wf = store.getForUpdate(c, EntityType.WORKFLOW, workflow.id());
            store.update(c, wf, wf.data().deepCopy().put("state", "INACTIVE"));
            if ("DEACTIVATE".equals(wf.text("on_failure"))) {
                var ds = store.findForUpdate(c, EntityType.DATASTORE, instance.text("datastore_id"));
                if (ds.isPresent() && "ACTIVE".equals(ds.get().text("state"))) {
                    store.update(c, ds.get(), ds.get().data().deepCopy().put("state", "INACTIVE"));
                }
            }
        }
    }

    void skipNotStarted(Connection c, List<Entity> actions) throws SQLException {
        for (Entity a : actions) {
            if (!NOT_STARTED.contains(ActionState.valueOf(a.text("state")))) {
                continue;
            }
            Entity locked = store.getForUpdate(c, EntityType.ACTION, a.id());
            ActionState s = ActionState.valueOf(locked.text("state"));
            if (NOT_STARTED.contains(s)) {
                store.update(c, locked, locked.data().deepCopy()
                        .put("state", ActionStateMachine.require(s, ActionEvent.SKIP, a.id()).name()));
            }
        }
    }

    /** Ends the run in {@code state} and tells the trigger worker (completion triggers, callback, e-mails). */
    public Entity end(Connection c, Entity instance, String state, String message) throws SQLException {
        ObjectNode data = instance.data().deepCopy();
        String now = Timestamps.format(Timestamps.now(clock));
        data.put("state", state);
        data.put("end_time", now);
        if (data.path("start_time").isNull() || data.path("start_time").isMissingNode()) {
            data.put("start_time", now);
        }
        if (message != null) {
            data.put("error_message", message);
        }
        Entity ended = store.update(c, instance, data);
        consumption.runEnded(c, ended);
        ObjectNode fields = Json.object();
        fields.put("workflow_instance_id", instance.id());
        fields.put("workflow_id", instance.text("workflow_id"));
        fields.put("state", state);
        outbox.add(c, Calls.RUN_ENDED, fields);
        return ended;
    }
}

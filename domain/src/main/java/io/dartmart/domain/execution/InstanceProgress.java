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
import io.dartmart.domain.state.RunEvent;
import io.dartmart.domain.state.RunState;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    private final Transitions transitions;

    public InstanceProgress(EntityStore store, ActionQueue queue, Outbox outbox, Clock clock,
                            SubscriptionConsumption consumption, Transitions transitions) {
        this.consumption = consumption;
        this.transitions = transitions;
        this.store = store;
        this.queue = queue;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The actions of a run, by {@code order_idx} (those without one last), then id. */
    public List<Entity> actionsOf(Connection c, String instanceId) throws SQLException {
        return store.all(c, EntityType.ACTION, new ListQuery(List.of(Filter.eq("workflow_instance_id", instanceId)),
                List.of(new OrderBy(List.of("order_idx"), false)), ListQuery.MAX_LIMIT, 0));
    }

    /** {@link #actionsOf} of several instances in one statement. */
    private Map<String, List<Entity>> actionsOf(Connection c, List<String> instanceIds) throws SQLException {
        if (instanceIds.size() == 1) {
            // a plain equality, which a plan cached while the table was small still answers through the index
            return Map.of(instanceIds.get(0), actionsOf(c, instanceIds.get(0)));
        }
        Map<String, List<Entity>> out = new HashMap<>();
        instanceIds.forEach(id -> out.put(id, new ArrayList<>()));
        for (Entity a : store.selectWhere(c, EntityType.ACTION, "workflow_instance_id = ANY(?)"
                + " ORDER BY NULLIF(data -> 'order_idx', 'null'::jsonb) ASC NULLS LAST, id ASC", instanceIds)) {
            out.get(a.text("workflow_instance_id")).add(a);
        }
        return out;
    }

    /** Moves the run on; {@code instance} must be locked by the caller's transaction. */
    public void advance(Connection c, Entity instance) throws SQLException {
        advanceAll(c, List.of(instance));
    }

    /**
     * {@link #advance} of several runs, with one statement per kind of change for all of them (a batch check-in);
     * every instance must be locked by the caller's transaction, each given once.
     */
    public void advanceAll(Connection c, List<Entity> instances) throws SQLException {
        List<Entity> live = instances.stream()
                .filter(i -> RunState.valueOf(i.text("state")).live()).toList();
        if (live.isEmpty()) {
            return;
        }
        Map<String, List<Entity>> actionsByInstance = actionsOf(c, live.stream().map(Entity::id).toList());
        List<Entity> ready = new ArrayList<>();
        List<Entity> completed = new ArrayList<>();
        for (Entity instance : live) {
            List<Entity> actions = actionsByInstance.get(instance.id());
            Entity halting = actions.stream().filter(a -> ActionState.valueOf(a.text("state")) == ActionState.FAILED
                    && !continues(a)).findFirst().orElse(null);
            if (halting != null) {
                fail(c, instance, actions, halting, "action '" + halting.text("name") + "' failed: "
                        + (halting.text("error_message") == null ? "no message" : halting.text("error_message")));
                continue;
            }
            List<Entity> next;
            try {
                next = ready(actions);
            } catch (IllegalArgumentException e) {
                fail(c, instance, actions, null, e.getMessage());
                continue;
            }
            ready.addAll(next);
            boolean unfinished = !next.isEmpty() || actions.stream()
                    .anyMatch(a -> UNFINISHED.contains(ActionState.valueOf(a.text("state"))));
            if (!unfinished) {
                completed.add(instance);
            }
        }
        enqueue(c, ready);
        endAll(c, completed, RunEvent.COMPLETE, null);
    }

    /** HAS_NEVER_RUN -> QUEUED for the steps that became ready, and a wake-up for their engines. */
    private void enqueue(Connection c, List<Entity> steps) throws SQLException {
        Map<String, Entity> locked = store.findAllForUpdate(c, EntityType.ACTION,
                steps.stream().map(Entity::id).toList());
        String now = Timestamps.format(Timestamps.now(clock));
        List<Entity> queued = new ArrayList<>();
        List<ObjectNode> data = new ArrayList<>();
        Set<String> engines = new TreeSet<>();
        for (Entity step : locked.values()) {
            if (ActionState.valueOf(step.text("state")) != ActionState.HAS_NEVER_RUN) {
                continue;
            }
            ObjectNode d = step.data().deepCopy();
            d.put("state", ActionStateMachine.require(ActionState.HAS_NEVER_RUN, ActionEvent.ENQUEUE, step.id()).name());
            d.put("queued_time", now);
            queued.add(step);
            data.add(d);
            engines.add(step.text("engine_name"));
        }
        store.updateAll(c, queued, data);
        transitions.action(ActionState.QUEUED, Transitions.NO_OUTCOME, queued.size());
        for (String engine : engines) {
            queue.notifyQueued(c, engine);
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

    /**
     * Refuses {@code depends_on} that names a step not among {@code steps}, or that goes round in a cycle.
     *
     * @throws IllegalArgumentException naming the step at fault
     */
    public static void checkDependencies(List<Entity> steps) {
        Map<String, Entity> byName = new HashMap<>();
        for (Entity a : steps) {
            byName.put(a.text("name"), a);
        }
        checkAcyclic(steps, byName);
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
        Entity ended = end(c, instance, RunEvent.FAIL, message);
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
                ActionState to = ActionStateMachine.require(s, ActionEvent.SKIP, a.id());
                store.update(c, locked, locked.data().deepCopy().put("state", to.name()));
                transitions.action(to, Transitions.NO_OUTCOME);
            }
        }
    }

    /**
     * Ends the run by {@code event} (COMPLETE, FAIL or CANCEL) and tells the trigger worker (completion triggers,
     * callback, e-mails).
     */
    public Entity end(Connection c, Entity instance, RunEvent event, String message) throws SQLException {
        return endAll(c, List.of(instance), event, message).get(0);
    }

    /** {@link #end} of several runs, in one statement per table. */
    public List<Entity> endAll(Connection c, List<Entity> instances, RunEvent event, String message)
            throws SQLException {
        String now = Timestamps.format(Timestamps.now(clock));
        List<ObjectNode> data = new ArrayList<>();
        for (Entity instance : instances) {
            ObjectNode d = instance.data().deepCopy();
            d.put("state", transitions.run(RunState.valueOf(instance.text("state")), event, instance.id()).name());
            d.put("end_time", now);
            if (d.path("start_time").isNull() || d.path("start_time").isMissingNode()) {
                d.put("start_time", now);
            }
            if (message != null) {
                d.put("error_message", message);
            }
            data.add(d);
        }
        List<Entity> ended = store.updateAll(c, instances, data);
        List<ObjectNode> messages = new ArrayList<>();
        for (Entity instance : ended) {
            ObjectNode fields = Json.object();
            fields.put("workflow_instance_id", instance.id());
            fields.put("workflow_id", instance.text("workflow_id"));
            fields.put("state", instance.text("state"));
            messages.add(fields);
        }
        for (Entity instance : ended) {
            consumption.runEnded(c, instance);
        }
        outbox.addAll(c, Calls.RUN_ENDED, messages);
        return ended;
    }
}

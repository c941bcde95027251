package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.dartmart.domain.subscription.SubscriptionConsumption;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What happens when an attempt ends: success completes the action; a failure is retried with a doubling delay while
 * the step's retries remain, else the action fails; work lost to the platform is queued again at once without using
 * those retries, up to {@code dart.execution.lost-retries} times, else the action fails as lost. The run then moves
 * on in the same transaction, so the next step is queued the moment this one is checked in.
 */
@Singleton
public class ActionOutcomes {
    private final EntityStore store;
    private final InstanceProgress progress;
    private final Outbox outbox;
    private final ActionQueue queue;
    private final Clock clock;
    private final SubscriptionConsumption consumption;
    private final AdHocQueue adHoc;
    private final Transitions transitions;
    private final int lostRetries;

    public ActionOutcomes(EntityStore store, InstanceProgress progress, Outbox outbox, ActionQueue queue, Clock clock,
                          SubscriptionConsumption consumption, AdHocQueue adHoc, Transitions transitions,
                          @Value("${dart.execution.lost-retries:2}") int lostRetries) {
        this.adHoc = adHoc;
        this.consumption = consumption;
        this.transitions = transitions;
        this.lostRetries = lostRetries;
        this.queue = queue;
        this.store = store;
        this.progress = progress;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The instance of an action, locked: every change to a run locks the instance before its actions. */
    public Optional<Entity> lockInstanceOf(Connection c, String actionId) throws SQLException {
        return lockInstanceOf(c, store.get(c, EntityType.ACTION, actionId));
    }

    /** The same, for an action already read (its instance never changes). */
    public Optional<Entity> lockInstanceOf(Connection c, Entity action) throws SQLException {
        String instanceId = action.text("workflow_instance_id");
        return instanceId == null ? Optional.empty() : store.findForUpdate(c, EntityType.WORKFLOW_INSTANCE, instanceId);
    }

    /** How an attempt ended. */
    public enum Ending {
        /** The engine reported success. */
        SUCCESS,
        /** The engine reported a failure, or the attempt ran past its timeout: the user's, under the step's retries. */
        FAILURE,
        /** The platform lost the work (no heartbeat, the task died, it never started, the server restarted). */
        LOST
    }

    /**
     * Ends the attempt of an action that is still in one of {@code states}: locks its run, then the action, checks
     * the state again and ends the attempt. Empty when the action is gone or has moved on meanwhile.
     */
    public Optional<Entity> endIfStill(Connection c, String actionId, Set<ActionState> states, Ending ending,
                                       String error) throws SQLException {
        Optional<Entity> seen = store.find(c, EntityType.ACTION, actionId);
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        Entity instance = lockInstanceOf(c, seen.get()).orElse(null);
        Entity action = store.getForUpdate(c, EntityType.ACTION, actionId);
        if (!states.contains(ActionState.valueOf(action.text("state")))) {
            return Optional.empty();
        }
        return Optional.of(endAttempts(c, List.of(new Attempt(action, instance, ending, error))).get(0));
    }

    /** An attempt that ended: the locked action, its locked instance (null without one) and the outcome. */
    public record Attempt(Entity action, Entity instance, Ending ending, String error) {
    }

    /**
     * {@link #endAttempt} of several actions (a batch check-in), with one statement per kind of change for all of
     * them; answers the actions as updated, in order. Each action is given once.
     */
    public List<Entity> endAttempts(Connection c, List<Attempt> attempts) throws SQLException {
        Instant nowInstant = Timestamps.now(clock);
        String now = Timestamps.format(nowInstant);
        List<Entity> actions = new ArrayList<>();
        List<ObjectNode> data = new ArrayList<>();
        List<ActionState> states = new ArrayList<>();
        for (Attempt attempt : attempts) {
            ObjectNode d = attempt.action().data().deepCopy();
            states.add(settle(attempt, d, nowInstant, lostRetries));
            actions.add(attempt.action());
            data.add(d);
        }
        List<Entity> updated = store.updateAll(c, actions, data);
        for (int i = 0; i < updated.size(); i++) {
            consumption.attemptEnded(c, updated.get(i), states.get(i));
            transitions.action(states.get(i), attempts.get(i).ending().name());
        }
        Set<String> engines = new TreeSet<>();
        Set<String> adHocDatastores = new TreeSet<>();
        Map<String, Entity> toAdvance = new LinkedHashMap<>();
        for (int i = 0; i < updated.size(); i++) {
            Entity action = updated.get(i);
            ActionState to = states.get(i);
            engines.add(action.text("engine_name"));
            if (action.text("workflow_instance_id") == null && action.text("datastore_id") != null
                    && (to == ActionState.COMPLETED || to == ActionState.FAILED)) {
                adHocDatastores.add(action.text("datastore_id"));
            }
            if ((to == ActionState.COMPLETED || to == ActionState.FAILED) && wantsMail(action, to)) {
                ObjectNode fields = Json.object();
                fields.put("action_id", action.id());
                fields.put("state", to.name());
                outbox.add(c, Calls.ACTION_ENDED, fields);
            }
            Entity instance = attempts.get(i).instance();
            if (instance != null && to != ActionState.QUEUED && !toAdvance.containsKey(instance.id())) {
                if (RunState.valueOf(instance.text("state")) == RunState.QUEUED) {
                    instance = store.update(c, instance, instance.data().deepCopy()
                            .put("state", transitions.run(RunState.QUEUED, RunEvent.START, instance.id()).name())
                            .put("start_time", now));
                }
                toAdvance.put(instance.id(), instance);
            }
        }
        // the datastores have free slots again: queued actions waiting for them can go now
        for (String engine : engines) {
            queue.notifyQueued(c, engine);
        }
        progress.advanceAll(c, List.copyOf(toAdvance.values()));
        adHoc.tryNext(c, adHocDatastores);
        return updated;
    }

    /** Writes the attempt's outcome into {@code data}; answers the action's new state. */
    private static ActionState settle(Attempt attempt, ObjectNode data, Instant nowInstant, int lostRetries) {
        Entity action = attempt.action();
        ActionState from = ActionState.valueOf(action.text("state"));
        String now = Timestamps.format(nowInstant);
        data.put("end_time", now);
        String error = attempt.error();
        int tries = data.path("attempt").asInt(0);
        int lost = data.path("lost_attempts").asInt(0);
        ActionState to;
        if (attempt.ending() == Ending.SUCCESS) {
            to = ActionStateMachine.require(ActionStateMachine.require(from, ActionEvent.CHECKIN, action.id()),
                    ActionEvent.COMPLETE, action.id());
        } else if (attempt.ending() == Ending.LOST) {
            data.put("lost_attempts", lost + 1);
            if (lost < lostRetries) {
                to = ActionStateMachine.require(from, ActionEvent.REQUEUE, action.id());
                data.put("queued_time", now);
                data.putNull("not_before");
                error = "lost (" + (lost + 1) + " of " + lostRetries + " requeues allowed): " + error
                        + "; queued again";
            } else {
                to = ActionStateMachine.require(from, ActionEvent.ABANDON, action.id());
                error = "lost to the platform " + (lost + 1) + (lost == 0 ? " time" : " times")
                        + ", more than the " + lostRetries + " requeues allowed; the last time: " + error;
            }
        } else if (tries < data.path("retries").asInt(0)) {
            ActionState finishing = from == ActionState.RUNNING ? ActionState.FINISHING : from;
            to = ActionStateMachine.require(finishing, ActionEvent.REQUEUE, action.id());
            long delay = data.path("retry_delay_seconds").asLong(10) << Math.min(tries, 20);
            data.put("attempt", tries + 1);
            data.put("not_before", Timestamps.format(nowInstant.plusSeconds(delay)));
            data.put("queued_time", now);
        } else if (from == ActionState.RUNNING) {
            to = ActionStateMachine.require(ActionStateMachine.require(from, ActionEvent.CHECKIN, action.id()),
                    ActionEvent.FAIL, action.id());
        } else {
            to = ActionStateMachine.require(from, ActionEvent.ABANDON, action.id());
        }
        data.set("error_message", error == null ? NullNode.getInstance() : Json.object().textNode(error));
        data.put("state", to.name());
        return to;
    }

    private static boolean wantsMail(Entity action, ActionState state) {
        String list = state == ActionState.COMPLETED ? "on_success_email" : "on_failure_email";
        return action.data().path(list).size() > 0;
    }
}

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
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What happens when an attempt ends: success completes the action; a failure is retried with a doubling delay while
 * retries remain, else the action fails. The run then moves on in the same transaction, so the next step is queued
 * the moment this one is checked in.
 */
@Singleton
public class ActionOutcomes {
    private final EntityStore store;
    private final InstanceProgress progress;
    private final Outbox outbox;
    private final ActionQueue queue;
    private final Clock clock;
    private final SubscriptionConsumption consumption;

    public ActionOutcomes(EntityStore store, InstanceProgress progress, Outbox outbox, ActionQueue queue, Clock clock,
                          SubscriptionConsumption consumption) {
        this.consumption = consumption;
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

    /**
     * Ends the current attempt of a locked action. {@code success} false with {@code event} CHECKIN is an engine's
     * FAILURE; ABANDON stands for lost or timed-out work, which is retried the same way.
     */
    public Entity endAttempt(Connection c, Entity action, Entity instance, boolean success, String error)
            throws SQLException {
        ActionState from = ActionState.valueOf(action.text("state"));
        Instant nowInstant = Timestamps.now(clock);
        String now = Timestamps.format(nowInstant);
        ObjectNode data = action.data().deepCopy();
        data.put("end_time", now);
        data.set("error_message", error == null ? NullNode.getInstance() : Json.object().textNode(error));
        int attempt = data.path("attempt").asInt(0);
        ActionState to;
        if (success) {
            to = ActionStateMachine.require(ActionStateMachine.require(from, ActionEvent.CHECKIN, action.id()),
                    ActionEvent.COMPLETE, action.id());
        } else if (attempt < data.path("retries").asInt(0)) {
            ActionState finishing = from == ActionState.RUNNING ? ActionState.FINISHING : from;
            to = ActionStateMachine.require(finishing, ActionEvent.REQUEUE, action.id());
            long delay = data.path("retry_delay_seconds").asLong(10) << Math.min(attempt, 20);
            data.put("attempt", attempt + 1);
            data.put("not_before", Timestamps.format(nowInstant.plusSeconds(delay)));
            data.put("queued_time", now);
        } else if (from == ActionState.RUNNING) {
            to = ActionStateMachine.require(ActionStateMachine.require(from, ActionEvent.CHECKIN, action.id()),
                    ActionEvent.FAIL, action.id());
        } else {
            to = ActionStateMachine.require(from, ActionEvent.ABANDON, action.id());
        }
        data.put("state", to.name());
        Entity updated = store.update(c, action, data);
        consumption.attemptEnded(c, updated, to);
        // the datastore has a free slot again: queued actions waiting for it can go now
        queue.notifyQueued(c, action.text("engine_name"));
        if ((to == ActionState.COMPLETED || to == ActionState.FAILED) && wantsMail(updated, to)) {
            ObjectNode fields = Json.object();
            fields.put("action_id", action.id());
            fields.put("state", to.name());
            outbox.add(c, Calls.ACTION_ENDED, fields);
        }
        if (instance != null && to != ActionState.QUEUED) {
            Entity current = instance;
            if ("QUEUED".equals(current.text("state"))) {
                current = store.update(c, current, current.data().deepCopy().put("state", "RUNNING")
                        .put("start_time", now));
            }
            progress.advance(c, current);
        }
        return updated;
    }

    private static boolean wantsMail(Entity action, ActionState state) {
        String list = state == ActionState.COMPLETED ? "on_success_email" : "on_failure_email";
        return action.data().path(list).size() > 0;
    }
}

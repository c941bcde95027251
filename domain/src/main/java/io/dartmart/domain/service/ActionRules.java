package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.execution.Transitions;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;

/** Actions: args follow their action type's schema; clients only queue and unqueue. */
@Singleton
public class ActionRules implements EntityRules {
    private final Engines engines;
    private final ArgsDocuments args;
    private final SubscriptionConsumption consumption;
    private final ActionQueue queue;
    private final Transitions transitions;

    public ActionRules(Engines engines, ArgsDocuments args, SubscriptionConsumption consumption, ActionQueue queue,
                       Transitions transitions) {
        this.queue = queue;
        this.consumption = consumption;
        this.transitions = transitions;
        this.engines = engines;
        this.args = args;
    }

    @Override
    public EntityType type() {
        return EntityType.ACTION;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "args", "state", "progress", "extra_data", "on_failure", "on_failure_email",
                "on_success_email", "order_idx", "depends_on", "retries", "retry_delay_seconds", "timeout_seconds",
                "tags");
    }

    @Override
    public void beforeUpdate(Connection c, Entity current, ObjectNode merged, Caller caller) throws SQLException {
        String from = current.text("state");
        String to = merged.path("state").asText(from);
        if (!Objects.equals(from, to)) {
            ActionState fromState = ActionState.valueOf(from);
            ActionState toState;
            try {
                toState = ActionState.valueOf(to);
            } catch (IllegalArgumentException e) {
                return;
            }
            ActionStateMachine.userEvent(fromState, toState);
            transitions.action(toState, Transitions.NO_OUTCOME);
            if (toState == ActionState.QUEUED && current.text("workflow_instance_id") == null) {
                consumption.assignAdHoc(c, current.id(), current.withData(merged));
            }
        }
    }

    /** Waiting engines hear of an action queued by a client when the transaction commits, as of any other. */
    @Override
    public void afterUpdate(Connection c, Entity before, Entity after) throws SQLException {
        if ("QUEUED".equals(after.text("state")) && !"QUEUED".equals(before.text("state"))) {
            queue.notifyQueued(c, after.text("engine_name"));
        }
    }


    @Override
    public void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller)
            throws SQLException {
        var stored = current == null ? null : current.data().get("args");
        if (stored != null && Objects.equals(stored, data.get("args"))) {
            return;
        }
        Entity engine = engines.requireByName(c, data.path("engine_name").asText(null), "/data/engine_name");
        var schema = engines.actionTypeSchema(engine, data.path("action_type_name").asText(), "/data/action_type_name");
        args.prepare(data, stored, schema, "/data/args");
    }
}

package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.ForbiddenException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.execution.InstanceProgress;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Envelopes;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.schema.Secrets;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * How engines take and hand back work: check-out moves a PENDING action to RUNNING and gives the engine
 * everything it needs, secrets in clear; check-in moves a RUNNING action to FINISHING with the engine's outcome.
 */
@Singleton
public class EngineProtocol {
    /** The outcomes an engine reports at check-in. */
    public static final Set<String> OUTCOMES = Set.of("SUCCESS", "FAILURE");

    private final Db db;
    private final EntityStore store;
    private final Engines engines;
    private final Secrets secrets;
    private final Clock clock;
    private final ActionQueue queue;
    private final ActionOutcomes outcomes;

    public EngineProtocol(Db db, EntityStore store, Engines engines, Secrets secrets, Clock clock, ActionQueue queue,
                          ActionOutcomes outcomes) {
        this.queue = queue;
        this.outcomes = outcomes;
        this.db = db;
        this.store = store;
        this.engines = engines;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Answers {@code {engine, action, datastore}}; the datastore is null when it has been deleted. */
    public ObjectNode checkout(String actionId, Caller caller) {
        return db.tx(c -> {
            Entity action = store.getForUpdate(c, EntityType.ACTION, actionId);
            ActionRules.requireOwnAction(action, caller);
            ActionState to = ActionStateMachine.require(ActionState.valueOf(action.text("state")),
                    ActionEvent.CHECKOUT, "action '" + actionId + "'");
            String now = Timestamps.format(Timestamps.now(clock));
            ObjectNode data = action.data().deepCopy();
            data.put("state", to.name());
            data.put("start_time", now);
            data.put("heartbeat_time", now);
            Entity updated = store.update(c, action, data);
            InstanceProgress.markRunning(c, action.text("workflow_instance_id"), now);
            String datastoreId = updated.text("datastore_id");
            return workPackage(c, updated,
                    datastoreId == null ? null : store.find(c, EntityType.DATASTORE, datastoreId).orElse(null));
        });
    }

    /**
     * Pull mode: claims the oldest runnable action of {@code engineName} and checks it out in one step; empty when
     * there is none right now.
     */
    public Optional<ObjectNode> claim(String engineName, Caller caller) {
        if (caller.isEngine() && !engineName.equals(caller.engineName())) {
            throw new ForbiddenException("an engine key for '" + caller.engineName() + "' cannot take actions of '"
                    + engineName + "'");
        }
        return db.tx(c -> {
            Optional<ActionQueue.Claimed> claimed = queue.claimWithDatastore(c, engineName, ActionEvent.CLAIM);
            return claimed.isEmpty() ? Optional.<ObjectNode>empty()
                    : Optional.of(workPackage(c, claimed.get().action(), claimed.get().datastore()));
        });
    }

    /** {@code {engine, action, datastore}} with secrets in clear, plus the run's parameters when it has any. */
    private ObjectNode workPackage(Connection c, Entity action, Entity datastore) throws SQLException {
        ObjectNode out = Json.object();
        Entity engine = engines.recentByName(c, action.text("engine_name")).orElse(null);
        out.set("engine", engine == null ? NullNode.getInstance() : Envelopes.of(engine));
        out.set("action", clear(action));
        out.set("datastore", datastore == null ? NullNode.getInstance() : clear(datastore));
        String instanceId = action.text("workflow_instance_id");
        if (instanceId != null) {
            store.find(c, EntityType.WORKFLOW_INSTANCE, instanceId)
                    .map(i -> i.data().get("parameters"))
                    .filter(p -> p != null && !p.isNull())
                    .ifPresent(p -> out.set("parameters", p));
        }
        return out;
    }

    /** The engine is alive and working on a RUNNING action; lost-work detection goes by this. */
    public void heartbeat(String actionId, Caller caller) {
        db.tx(c -> {
            Entity action = store.get(c, EntityType.ACTION, actionId);
            ActionRules.requireOwnAction(action, caller);
            try (PreparedStatement ps = c.prepareStatement("UPDATE action SET data = data || jsonb_build_object("
                    + "'heartbeat_time', ?::text) WHERE id = ? AND state = 'RUNNING'")) {
                ps.setString(1, Timestamps.format(Timestamps.now(clock)));
                ps.setString(2, actionId);
                if (ps.executeUpdate() == 0) {
                    throw new InvalidInputException("action '" + actionId + "' is " + action.text("state")
                            + ", not RUNNING; it needs no heartbeat");
                }
            }
            return null;
        });
    }

    private ObjectNode clear(Entity e) {
        ObjectNode env = Envelopes.of(e);
        env.set("data", secrets.unseal(e.data()));
        return env;
    }

    /** Body {@code {state: SUCCESS|FAILURE, error_message, consume_subscription_state}}. */
    public Entity checkin(String actionId, JsonNode body, Caller caller) {
        return checkin(actionId, body, caller, false).action();
    }

    /** A check-in's result: the action as checked in, and the engine's next action when one was claimed. */
    public record Checkin(Entity action, Optional<ObjectNode> next) {
    }

    /**
     * Checks in; with {@code claimNext}, also claims the engine's next action in the same transaction, so a busy
     * engine's hand-off costs one transaction, not two.
     */
    public Checkin checkin(String actionId, JsonNode body, Caller caller, boolean claimNext) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("the body must be an object such as {\"state\": \"SUCCESS\"}");
        }
        String outcome = body.path("state").asText(null);
        if (outcome == null || !OUTCOMES.contains(outcome)) {
            throw new InvalidInputException("/state: must be SUCCESS or FAILURE, found " + body.get("state"));
        }
        JsonNode error = body.get("error_message");
        if (error != null && !error.isNull() && !error.isTextual()) {
            throw new InvalidInputException("/error_message: must be a string or null");
        }
        String message = error == null || error.isNull() ? null : error.asText();
        JsonNode consume = body.get("consume_subscription_state");
        return db.tx(c -> {
            Entity seen = store.get(c, EntityType.ACTION, actionId);
            ActionRules.requireOwnAction(seen, caller);
            Entity instance = outcomes.lockInstanceOf(c, seen).orElse(null);
            Entity action = store.getForUpdate(c, EntityType.ACTION, actionId);
            ActionStateMachine.require(ActionState.valueOf(action.text("state")), ActionEvent.CHECKIN,
                    "action '" + actionId + "'");
            if (consume != null && !consume.isNull()) {
                ObjectNode data = action.data().deepCopy();
                ObjectNode extra = data.path("extra_data").isObject() ? (ObjectNode) data.get("extra_data") : Json.object();
                extra.set("consume_subscription_state", consume);
                data.set("extra_data", extra);
                action = store.update(c, action, data);
            }
            Entity ended = outcomes.endAttempt(c, action, instance, "SUCCESS".equals(outcome), message);
            if (!claimNext) {
                return new Checkin(ended, Optional.empty());
            }
            Optional<ActionQueue.Claimed> next = queue.claimWithDatastore(c, ended.text("engine_name"), ActionEvent.CLAIM);
            return new Checkin(ended, next.isEmpty() ? Optional.empty()
                    : Optional.of(workPackage(c, next.get().action(), next.get().datastore())));
        });
    }
}

package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
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
import java.sql.SQLException;
import java.time.Clock;
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

    public EngineProtocol(Db db, EntityStore store, Engines engines, Secrets secrets, Clock clock) {
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
            Entity updated = store.update(c, action, data);
            startInstance(c, action.text("workflow_instance_id"), now);

            ObjectNode out = Json.object();
            Entity engine = engines.byName(c, action.text("engine_name")).orElse(null);
            out.set("engine", engine == null ? NullNode.getInstance() : Envelopes.of(engine));
            out.set("action", clear(updated));
            String datastoreId = action.text("datastore_id");
            Entity datastore = datastoreId == null ? null : store.find(c, EntityType.DATASTORE, datastoreId).orElse(null);
            out.set("datastore", datastore == null ? NullNode.getInstance() : clear(datastore));
            return out;
        });
    }

    /** The first action checked out moves its instance from QUEUED to RUNNING. */
    private void startInstance(Connection c, String instanceId, String now) throws SQLException {
        if (instanceId == null) {
            return;
        }
        var instance = store.findForUpdate(c, EntityType.WORKFLOW_INSTANCE, instanceId);
        if (instance.isPresent() && "QUEUED".equals(instance.get().text("state"))) {
            ObjectNode data = instance.get().data().deepCopy();
            data.put("state", "RUNNING");
            data.put("start_time", now);
            store.update(c, instance.get(), data);
        }
    }

    private ObjectNode clear(Entity e) {
        ObjectNode env = Envelopes.of(e);
        env.set("data", secrets.unseal(e.data()));
        return env;
    }

    /** Body {@code {state: SUCCESS|FAILURE, error_message, consume_subscription_state}}. */
    public Entity checkin(String actionId, JsonNode body, Caller caller) {
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
        return db.tx(c -> {
            Entity action = store.getForUpdate(c, EntityType.ACTION, actionId);
            ActionRules.requireOwnAction(action, caller);
            ActionState to = ActionStateMachine.require(ActionState.valueOf(action.text("state")),
                    ActionEvent.CHECKIN, "action '" + actionId + "'");
            ObjectNode data = action.data().deepCopy();
            data.put("state", to.name());
            data.put("end_time", Timestamps.format(Timestamps.now(clock)));
            data.set("error_message", error == null ? NullNode.getInstance() : error);
            ObjectNode extra = data.path("extra_data").isObject() ? (ObjectNode) data.get("extra_data") : Json.object();
            extra.put("checkin_state", outcome);
            JsonNode consume = body.get("consume_subscription_state");
            if (consume != null && !consume.isNull()) {
                extra.set("consume_subscription_state", consume);
            }
            data.set("extra_data", extra);
            return store.update(c, action, data);
        });
    }
}

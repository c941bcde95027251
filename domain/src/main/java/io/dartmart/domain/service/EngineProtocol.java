package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.error.DartException;
import io.dartmart.domain.error.ForbiddenException;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.execution.Transitions;
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
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final Transitions transitions;
    /**
     * The lost-work sweeper's heartbeat timeout, told to engines in each work package so that one which cannot reach
     * the server gives the action up before the server hands it to another engine.
     */
    private final double heartbeatTimeoutSeconds;

    public EngineProtocol(Db db, EntityStore store, Engines engines, Secrets secrets, Clock clock, ActionQueue queue,
                          ActionOutcomes outcomes, Transitions transitions,
                          @Value("${dart.execution.heartbeat-timeout:30s}") Duration heartbeatTimeout) {
        this.heartbeatTimeoutSeconds = heartbeatTimeout.toMillis() / 1000.0;
        this.transitions = transitions;
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
            Scope.require(caller, action, true);
            ActionState to = ActionStateMachine.require(ActionState.valueOf(action.text("state")),
                    ActionEvent.CHECKOUT, "action '" + actionId + "'");
            String now = Timestamps.format(Timestamps.now(clock));
            ObjectNode data = action.data().deepCopy();
            data.put("state", to.name());
            ActionQueue.checkedOut(data, now);
            Entity updated = store.update(c, action, data);
            transitions.action(to, Transitions.NO_OUTCOME);
            queue.startRuns(c, Collections.singletonList(action.text("workflow_instance_id")), now);
            String datastoreId = updated.text("datastore_id");
            return workPackages(c, List.of(new ActionQueue.Claimed(updated,
                    datastoreId == null ? null : store.find(c, EntityType.DATASTORE, datastoreId).orElse(null))),
                    caller).get(0);
        });
    }

    /**
     * Pull mode: claims the oldest runnable action of {@code engineName} and checks it out in one step; empty when
     * there is none right now.
     */
    public Optional<ObjectNode> claim(String engineName, Caller caller) {
        return claim(engineName, caller, 1).stream().findFirst();
    }

    /** {@link #claim(String, Caller)} of up to {@code max} actions at once, oldest first. */
    public List<ObjectNode> claim(String engineName, Caller caller, int max) {
        Scope.requireEngine(caller, engineName, true);
        return db.tx(c -> workPackages(c, queue.claim(c, engineName, ActionEvent.CLAIM, max), caller));
    }

    /**
     * {@code {action_id, attempt, engine, action, datastore, parameters}} per claimed action; {@code parameters} is
     * {@code {}} for an ad-hoc action or a run started without any, and the parameters of all runs are read at once.
     * Secrets are in clear for the engine that works on the action (an engine key or an action token), masked for
     * anyone else taking it (an admin's poll). {@code attempt} counts every time an engine has taken the action, so
     * together with {@code action_id} it names this execution: work lost to the platform is handed out again, and an
     * engine that must not repeat an effect keys it by these two.
     */
    private List<ObjectNode> workPackages(Connection c, List<ActionQueue.Claimed> claimed, Caller caller)
            throws SQLException {
        boolean clear = caller.role() == Role.ENGINE || caller.role() == Role.ACTION_TOKEN;
        Map<String, JsonNode> parameters = parameters(c, claimed.stream()
                .map(a -> a.action().text("workflow_instance_id")).filter(Objects::nonNull).distinct().toList());
        List<ObjectNode> out = new ArrayList<>();
        for (ActionQueue.Claimed a : claimed) {
            ObjectNode work = Json.object();
            work.put("action_id", a.action().id());
            work.put("attempt", attemptOf(a.action()));
            Entity engine = engines.recentByName(c, a.action().text("engine_name")).orElse(null);
            work.set("engine", engine == null ? NullNode.getInstance() : Envelopes.of(engine));
            work.set("action", shown(a.action(), clear));
            work.set("datastore", a.datastore() == null ? NullNode.getInstance() : shown(a.datastore(), clear));
            JsonNode p = parameters.get(a.action().text("workflow_instance_id"));
            work.set("parameters", p == null || p.isNull() ? Json.object() : p);
            work.put("heartbeat_timeout_seconds", heartbeatTimeoutSeconds);
            out.add(work);
        }
        return out;
    }

    private static Map<String, JsonNode> parameters(Connection c, List<String> instanceIds) throws SQLException {
        Map<String, JsonNode> out = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, data -> 'parameters' FROM workflow_instance"
                + " WHERE id = ANY(?) AND data -> 'parameters' IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", instanceIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Json.parseTrusted(rs.getString(2)));
                }
            }
        }
        return out;
    }

    /**
     * The engine is alive and working on a RUNNING action; lost-work detection goes by this. With {@code attempt}
     * (the work package's), only that attempt's engine is: a heartbeat of an attempt counted lost is refused.
     */
    public void heartbeat(String actionId, Integer attempt, Caller caller) {
        db.tx(c -> {
            // locked as the update would lock it, so that it is not handed out anew between the checks and the write
            Entity action = store.getForUpdate(c, EntityType.ACTION, actionId);
            Scope.require(caller, action, true);
            if (!"RUNNING".equals(action.text("state"))) {
                throw new InvalidInputException("action '" + actionId + "' is " + action.text("state")
                        + ", not RUNNING; it needs no heartbeat");
            }
            if (attempt != null && attempt != attemptOf(action)) {
                throw supersededAttempt(action, attempt);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE action SET data = data || jsonb_build_object("
                    + "'heartbeat_time', ?::text) WHERE id = ?")) {
                ps.setString(1, Timestamps.format(Timestamps.now(clock)));
                ps.setString(2, actionId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The attempt an action is in: how many times an engine has taken it. */
    private static int attemptOf(Entity action) {
        return action.data().path("checkouts").asInt(1);
    }

    private static ConflictException supersededAttempt(Entity action, int attempt) {
        return new ConflictException("action '" + action.id() + "' is in attempt " + attemptOf(action) + ", not "
                + attempt + ": attempt " + attempt + " was counted lost and the action handed out again; its engine"
                + " should stop working on it without checking it in");
    }

    /** The envelope, secrets masked unless {@code clear}. */
    private ObjectNode shown(Entity e, boolean clear) {
        ObjectNode env = Envelopes.of(e);
        if (clear) {
            env.set("data", secrets.unseal(e.data()));
        }
        return env;
    }

    /** An engine's outcome for one RUNNING action; for the attempt {@code attempt} when that is not null. */
    public record Outcome(String actionId, boolean success, String errorMessage, JsonNode consumeSubscriptionState,
                          Integer attempt) {
    }

    /**
     * Reads {@code {state: SUCCESS|FAILURE, error_message, consume_subscription_state, attempt}}; errors point below
     * {@code where} (a JSON pointer, "" for the whole body).
     */
    public static Outcome outcome(String actionId, JsonNode body, String where) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException((where.isEmpty() ? "the body" : where)
                    + " must be an object such as {\"state\": \"SUCCESS\"}");
        }
        String state = body.path("state").asText(null);
        if (state == null || !OUTCOMES.contains(state)) {
            throw new InvalidInputException(where + "/state: must be SUCCESS or FAILURE, found " + body.get("state"));
        }
        JsonNode error = body.get("error_message");
        if (error != null && !error.isNull() && !error.isTextual()) {
            throw new InvalidInputException(where + "/error_message: must be a string or null");
        }
        JsonNode consume = body.get("consume_subscription_state");
        JsonNode attempt = body.get("attempt");
        if (attempt != null && !attempt.isNull() && !(attempt.canConvertToInt() && attempt.isIntegralNumber()
                && attempt.asInt() >= 1)) {
            throw new InvalidInputException(where + "/attempt: must be an integer of at least 1 or null, found "
                    + attempt);
        }
        return new Outcome(actionId, "SUCCESS".equals(state), error == null || error.isNull() ? null : error.asText(),
                consume == null || consume.isNull() ? null : consume,
                attempt == null || attempt.isNull() ? null : attempt.asInt());
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
        Outcome outcome = outcome(actionId, body, "");
        return db.tx(c -> {
            Settled settled = settle(c, List.of(outcome), caller, null);
            if (settled.refusals().get(0) != null) {
                throw settled.refusals().get(0);
            }
            Entity ended = settled.ended().get(0);
            if (claimNext) {
                Scope.requireEngine(caller, ended.text("engine_name"), true);
            }
            List<ObjectNode> next = claimNext
                    ? workPackages(c, queue.claim(c, ended.text("engine_name"), ActionEvent.CLAIM, 1), caller) : List.of();
            return new Checkin(ended, next.stream().findFirst());
        });
    }

    /**
     * A batch check-in's result: per outcome, in order, null when it was applied or the reason it was refused; the
     * actions as checked in; and the engine's next actions, checked out.
     */
    public record Batch(List<DartException> refusals, List<Entity> ended, List<ObjectNode> next) {
    }

    /**
     * Checks in several actions of {@code engineName} and claims up to {@code max} next ones, all in one
     * transaction. An outcome that cannot be applied (the action is gone, not RUNNING, or another engine's) is
     * refused alone; the others are applied.
     */
    public Batch checkin(String engineName, List<Outcome> reported, Caller caller, int max) {
        Scope.requireEngine(caller, engineName, max > 0);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < reported.size(); i++) {
            if (!seen.add(reported.get(i).actionId())) {
                throw new InvalidInputException("/checkins/" + i + "/action_id: action '" + reported.get(i).actionId()
                        + "' is checked in twice");
            }
        }
        return db.tx(c -> {
            Settled settled = settle(c, reported, caller, engineName);
            return new Batch(settled.refusals(), settled.ended(),
                    max == 0 ? List.of() : workPackages(c, queue.claim(c, engineName, ActionEvent.CLAIM, max), caller));
        });
    }

    /** What {@link #settle} did: per outcome the refusal or null, and the actions it ended. */
    private record Settled(List<DartException> refusals, List<Entity> ended) {
    }

    /**
     * Applies the outcomes that can be applied. Every change to a run locks the instance before its actions, so the
     * instances are locked first, then the actions, each set in one statement.
     */
    private Settled settle(Connection c, List<Outcome> reported, Caller caller, String engineName)
            throws SQLException {
        List<String> ids = reported.stream().map(Outcome::actionId).toList();
        Map<String, Entity> instances = lockInstancesOf(c, ids);
        Map<String, Entity> actions = store.findAllForUpdate(c, EntityType.ACTION, ids);
        List<DartException> refusals = new ArrayList<>();
        List<ActionOutcomes.Attempt> attempts = new ArrayList<>();
        for (Outcome o : reported) {
            Entity action = actions.get(o.actionId());
            try {
                if (action == null) {
                    throw EntityStore.notFound(EntityType.ACTION, o.actionId());
                }
                Scope.require(caller, action, true);
                if (engineName != null && !engineName.equals(action.text("engine_name"))) {
                    throw new ForbiddenException("action '" + action.id() + "' belongs to engine '"
                            + action.text("engine_name") + "', not to '" + engineName + "'");
                }
                ActionStateMachine.require(ActionState.valueOf(action.text("state")), ActionEvent.CHECKIN,
                        "action '" + o.actionId() + "'");
                if (o.attempt() != null && o.attempt() != attemptOf(action)) {
                    throw supersededAttempt(action, o.attempt());
                }
                refusals.add(null);
            } catch (DartException e) {
                refusals.add(e);
                continue;
            }
            if (o.consumeSubscriptionState() != null) {
                ObjectNode data = action.data().deepCopy();
                ObjectNode extra = data.path("extra_data").isObject() ? (ObjectNode) data.get("extra_data")
                        : Json.object();
                extra.set("consume_subscription_state", o.consumeSubscriptionState());
                data.set("extra_data", extra);
                action = action.withData(data);
            }
            attempts.add(new ActionOutcomes.Attempt(action, instances.get(action.text("workflow_instance_id")),
                    o.success() ? ActionOutcomes.Ending.SUCCESS : ActionOutcomes.Ending.FAILURE, o.errorMessage()));
        }
        return new Settled(refusals, attempts.isEmpty() ? List.of() : outcomes.endAttempts(c, attempts));
    }

    /** The instances of these actions, locked in id order; an action's instance never changes. */
    private Map<String, Entity> lockInstancesOf(Connection c, List<String> actionIds) throws SQLException {
        Map<String, Entity> out = new HashMap<>();
        for (Entity instance : store.selectWhere(c, EntityType.WORKFLOW_INSTANCE, "id IN (SELECT"
                + " workflow_instance_id FROM action WHERE id = ANY(?)) ORDER BY id FOR UPDATE", actionIds)) {
            out.put(instance.id(), instance);
        }
        return out;
    }
}

package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * What check-out and poll answer: {@code {action_id, attempt, engine, action, datastore, parameters?,
 * heartbeat_timeout_seconds?}}, envelopes as the API shows them (secrets in clear). Absent and JSON-null members are
 * Java nulls; {@code attempt} is 1 from a server that does not send it. {@code requestedNanos} is when the request
 * that handed the action out was sent ({@link System#nanoTime()}), before the server took it: the engine's lease on
 * the action runs from no earlier than that.
 */
public record WorkPackage(JsonNode engine, JsonNode action, JsonNode datastore, JsonNode parameters, int attempt,
                          Duration heartbeatTimeout, long requestedNanos) {

    /** Reads a {@code results} object handed out by a request sent at {@code requestedNanos}; fails when it names no action. */
    public static WorkPackage of(JsonNode results, long requestedNanos) {
        if (results == null || !results.isObject()) {
            throw new IllegalArgumentException("a work package must be an object {engine, action, datastore}, got "
                    + (results == null ? "nothing" : results.getNodeType()));
        }
        JsonNode action = Json.orNull(results.get("action"));
        if (action == null || !action.path("id").isTextual()) {
            throw new IllegalArgumentException("a work package must carry an action with an id");
        }
        JsonNode timeout = results.get("heartbeat_timeout_seconds");
        return new WorkPackage(Json.orNull(results.get("engine")), action, Json.orNull(results.get("datastore")),
                Json.orNull(results.get("parameters")), results.path("attempt").asInt(1),
                timeout != null && timeout.isNumber() && timeout.asDouble() > 0
                        ? Duration.ofMillis(Math.round(timeout.asDouble() * 1000)) : null, requestedNanos);
    }

    public String actionId() {
        return action.get("id").asText();
    }

    /** The action's type; null when the action carries none. */
    public String actionTypeName() {
        return action.path("data").path("action_type_name").asText(null);
    }

    /** The action's args; an empty object when it has none. */
    public JsonNode actionArgs() {
        JsonNode args = Json.orNull(action.path("data").get("args"));
        return args == null ? Json.object() : args;
    }

    /** The datastore's args; null without a datastore, an empty object when it has none. */
    public JsonNode datastoreArgs() {
        if (datastore == null) {
            return null;
        }
        JsonNode args = Json.orNull(datastore.path("data").get("args"));
        return args == null ? Json.object() : args;
    }
}

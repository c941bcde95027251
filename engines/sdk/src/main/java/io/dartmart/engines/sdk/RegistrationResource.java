package io.dartmart.engines.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.sdk.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An engine's registration kept as a JSON resource beside its class ({@code name, description, options_json_schema,
 * supported_action_types}, and the {@code subgraph_definitions} it offers the UI), so the schemas read as the API
 * will serve them. {@link #builder(Map)} pairs each listed
 * action type with its handler and refuses a type without one, or a handler without a type.
 */
public final class RegistrationResource {
    private final String resource;
    private final ObjectNode registration;

    private RegistrationResource(String resource, ObjectNode registration) {
        this.resource = resource;
        this.registration = registration;
    }

    /**
     * Reads {@code resource} (a name relative to {@code anchor}'s package).
     *
     * @throws IllegalStateException when it is missing or not a JSON object
     */
    public static RegistrationResource load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing");
            }
            JsonNode node = Json.MAPPER.readTree(in);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalStateException("resource " + resource + " is not a JSON object");
            }
            return new RegistrationResource(resource, object);
        } catch (IOException e) {
            throw new UncheckedIOException("resource " + resource + " is not JSON", e);
        }
    }

    /** The registration document, without the subgraph definitions (they are stored apart); a copy. */
    public ObjectNode registration() {
        ObjectNode copy = registration.deepCopy();
        copy.remove("subgraph_definitions");
        return copy;
    }

    /**
     * A builder carrying the registration, with {@code handlers} by action type name; add {@code apiUrl} and
     * {@code apiKey} (and any tuning), then {@code build()}.
     */
    public DartEngine.Builder builder(Map<String, ActionHandler> handlers) {
        DartEngine.Builder b = DartEngine.builder()
                .name(registration.path("name").asText(null))
                .description(registration.path("description").asText(null))
                .optionsSchema(copyOrNull(registration.get("options_json_schema")));
        Set<String> registered = new LinkedHashSet<>();
        for (JsonNode type : registration.path("supported_action_types")) {
            String name = type.path("name").asText();
            ActionHandler handler = handlers.get(name);
            if (handler == null) {
                throw new IllegalStateException(resource + " lists '" + name + "', which has no handler");
            }
            registered.add(name);
            b.actionType(name, type.path("description").asText(null), copyOrNull(type.get("params_json_schema")),
                    handler);
        }
        registration.path("subgraph_definitions").forEach(b::subgraphDefinition);
        if (!registered.equals(handlers.keySet())) {
            Set<String> extra = new LinkedHashSet<>(handlers.keySet());
            extra.removeAll(registered);
            throw new IllegalStateException("handlers without an action type in " + resource + ": " + extra);
        }
        return b;
    }

    private static JsonNode copyOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.deepCopy();
    }
}

package io.dartmart.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of request bodies that are not entities (check-in, batch check-in, poll, heartbeat,
 * manual trigger, backfill), from {@code schema/request/<name>.json}. They are the one home of these bodies' rules and limits: the routes validate
 * against them and {@code openapi.yaml} is generated from them.
 */
public final class RequestSchemas {
    public static final String CHECKIN = "checkin";
    public static final String BATCH_CHECKIN = "batch_checkin";
    public static final String POLL = "poll";
    public static final String HEARTBEAT = "heartbeat";
    public static final String MANUAL_TRIGGER = "manual_trigger";
    public static final String BACKFILL = "backfill";

    private static final Map<String, JsonNode> SCHEMAS = new ConcurrentHashMap<>();

    private RequestSchemas() {
    }

    /**
     * Validates {@code body} against the schema {@code name} and answers it with defaults applied; a body that is not
     * a JSON object, or breaks the schema, is a 400 naming the pointer of each broken rule.
     */
    public static ObjectNode validate(String name, JsonNode body) {
        JsonNode schema = SCHEMAS.computeIfAbsent(name, RequestSchemas::load);
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("the body must be a JSON object: " + schema.path("description").asText());
        }
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        JsonSchemas.applyDefaultsAndValidate(schema, copy, "");
        return copy;
    }

    private static JsonNode load(String name) {
        try (InputStream in = RequestSchemas.class.getResourceAsStream("/schema/request/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing request schema " + name);
            }
            return Json.parseTrusted(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;

/**
 * A run started by hand ({@code POST /workflow/{id}/do-manual-trigger}), with optional run parameters and a
 * callback URL. It is never stored as a trigger; it names the instance's {@code trigger_type}.
 */
@Singleton
public class ManualTrigger implements TriggerType {
    public static final String NAME = "manual";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false,
             "properties": {"parameters": {"type": ["object", "null"]},
               "callback_url": {"type": ["string", "null"], "pattern": "^https?://"}}}""");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A run started by hand, with optional parameters the actions see and a callback URL.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public boolean userCreatable() {
        return false;
    }

    @Override
    public void checkArgs(Connection connection, ObjectNode args) {
    }
}

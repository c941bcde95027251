package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/** Fires when an external system fires a dart event. */
@Singleton
public class EventTrigger implements TriggerType {
    public static final String NAME = "event";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["event_id"],
             "properties": {"event_id": {"type": "string", "minLength": 1}}}""");
    private final EntityStore store;

    public EventTrigger(EntityStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows each time the event event_id is fired.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public void checkArgs(Connection c, ObjectNode args) throws SQLException {
        ReferenceChecks.requireExists(store, c, EntityType.EVENT, args.path("event_id").asText(), "/data/args/event_id");
    }
}

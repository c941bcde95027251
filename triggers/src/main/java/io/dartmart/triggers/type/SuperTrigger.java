package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/** Fires after ALL or ANY of other triggers fired. */
@Singleton
public class SuperTrigger implements TriggerType {
    public static final String NAME = "super";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["fire_after", "completed_trigger_ids"],
             "properties": {"fire_after": {"type": "string", "enum": ["ALL", "ANY"]},
               "completed_trigger_ids": {"type": "array", "minItems": 1, "uniqueItems": true,
                 "items": {"type": "string", "minLength": 1}}}}""");
    private final EntityStore store;

    public SuperTrigger(EntityStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows once ALL (or ANY) of completed_trigger_ids have fired; ALL keeps its progress "
                + "and starts again after firing.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public void checkArgs(Connection c, ObjectNode args) throws SQLException {
        int i = 0;
        for (JsonNode id : args.path("completed_trigger_ids")) {
            ReferenceChecks.requireExists(store, c, EntityType.TRIGGER, id.asText(),
                    "/data/args/completed_trigger_ids/" + i++);
        }
    }
}

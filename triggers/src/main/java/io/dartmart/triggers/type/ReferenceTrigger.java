package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;

import java.sql.Connection;
import java.sql.SQLException;

/** A trigger type whose args name one other entity, which must exist when the trigger is saved. */
abstract class ReferenceTrigger implements TriggerType {
    private final EntityStore store;
    private final String field;
    private final EntityType referenced;
    private final JsonNode schema;

    ReferenceTrigger(EntityStore store, String field, EntityType referenced, JsonNode schema) {
        this.store = store;
        this.field = field;
        this.referenced = referenced;
        this.schema = schema;
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return schema;
    }

    @Override
    public void checkArgs(Connection c, ObjectNode args) throws SQLException {
        ReferenceChecks.requireExists(store, c, referenced, args.path(field).asText(), "/data/args/" + field);
    }
}

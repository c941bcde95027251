package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/** Fires when an instance of another workflow COMPLETES. */
@Singleton
public class WorkflowCompletionTrigger implements TriggerType {
    public static final String NAME = "workflow_completion";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["completed_workflow_id"],
             "properties": {"completed_workflow_id": {"type": "string", "minLength": 1}}}""");
    private final EntityStore store;

    public WorkflowCompletionTrigger(EntityStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows each time an instance of the completed_workflow_id workflow completes.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public void checkArgs(Connection c, ObjectNode args) throws SQLException {
        ReferenceChecks.requireExists(store, c, EntityType.WORKFLOW, args.path("completed_workflow_id").asText(),
                "/data/args/completed_workflow_id");
    }
}

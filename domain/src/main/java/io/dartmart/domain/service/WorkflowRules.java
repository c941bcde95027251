package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/** Workflows live on a datastore; deleting one deletes its steps, its instances and their actions. */
@Singleton
public class WorkflowRules implements EntityRules {
    private final EntityStore store;

    public WorkflowRules(EntityStore store) {
        this.store = store;
    }

    @Override
    public EntityType type() {
        return EntityType.WORKFLOW;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "state", "concurrency", "on_failure", "on_failure_email", "on_success_email",
                "on_started_email", "retries_on_failure", "tags");
    }

    @Override
    public void beforeCreate(Connection c, ObjectNode data, Caller caller) throws SQLException {
        String datastoreId = data.path("datastore_id").asText(null);
        if (datastoreId == null) {
            throw new InvalidInputException("/data/datastore_id: required; or create the workflow with "
                    + "POST /datastore/{id}/workflow");
        }
        Entity datastore = store.find(c, EntityType.DATASTORE, datastoreId).orElseThrow(() ->
                new InvalidInputException("/data/datastore_id: datastore '" + datastoreId + "' does not exist"));
        NestedEntities.placeWorkflow(data, datastore);
    }

    @Override
    public void beforeDelete(Connection c, Entity workflow) throws SQLException {
        store.deleteWhere(c, EntityType.ACTION, "workflow_id", workflow.id());
        store.deleteWhere(c, EntityType.WORKFLOW_INSTANCE, "workflow_id", workflow.id());
    }
}

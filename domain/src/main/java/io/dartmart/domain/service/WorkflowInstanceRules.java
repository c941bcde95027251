package io.dartmart.domain.service;

import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/** Instances are made by running a workflow, never by a client; deleting one deletes its actions. */
@Singleton
public class WorkflowInstanceRules implements EntityRules {
    private final EntityStore store;

    public WorkflowInstanceRules(EntityStore store) {
        this.store = store;
    }

    @Override
    public EntityType type() {
        return EntityType.WORKFLOW_INSTANCE;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("tags");
    }

    @Override
    public void beforeDelete(Connection c, Entity instance) throws SQLException {
        store.deleteWhere(c, EntityType.ACTION, "workflow_instance_id", instance.id());
    }
}

package io.dartmart.domain.service;

import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Deleting runs, with their actions, as the original's clients do to clean up. A run that is still QUEUED or RUNNING
 * is refused (cancel it first): deleting it would leave engines holding actions of a run that is gone.
 */
@Singleton
public class RunDeletion {
    private static final Set<String> UNDER_WAY = Set.of("QUEUED", "RUNNING");

    private final Db db;
    private final EntityStore store;
    private final Entities entities;

    public RunDeletion(Db db, EntityStore store, Entities entities) {
        this.db = db;
        this.store = store;
        this.entities = entities;
    }

    public void deleteRun(String instanceId) {
        db.tx(c -> {
            Entity run = store.getForUpdate(c, EntityType.WORKFLOW_INSTANCE, instanceId);
            requireEnded(run);
            entities.deleteIn(c, run);
            return null;
        });
    }

    /** Every run of the workflow, or none when one of them is under way. */
    public void deleteRunsOf(String workflowId) {
        db.tx(c -> {
            store.get(c, EntityType.WORKFLOW, workflowId);
            List<Entity> runs = store.selectWhere(c, EntityType.WORKFLOW_INSTANCE,
                    "workflow_id = ANY(?) ORDER BY id FOR UPDATE", List.of(workflowId));
            runs.forEach(RunDeletion::requireEnded);
            for (Entity run : runs) {
                entities.deleteIn(c, run);
            }
            return null;
        });
    }

    private static void requireEnded(Entity run) {
        if (UNDER_WAY.contains(run.text("state"))) {
            throw new ConflictException("workflow instance '" + run.id() + "' is " + run.text("state")
                    + "; cancel it first (POST /workflow/instance/" + run.id() + "/cancel), then delete it");
        }
    }
}

package io.dartmart.triggers.type;

import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

/** Fires when an instance of another workflow COMPLETES. */
@Singleton
public class WorkflowCompletionTrigger extends ReferenceTrigger {
    public static final String NAME = "workflow_completion";

    public WorkflowCompletionTrigger(EntityStore store) {
        super(store, "completed_workflow_id", EntityType.WORKFLOW, Schemas.parse("""
                {"type": "object", "additionalProperties": false, "required": ["completed_workflow_id"],
                 "properties": {"completed_workflow_id": {"type": "string", "minLength": 1}}}"""));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows each time an instance of the completed_workflow_id workflow completes.";
    }
}

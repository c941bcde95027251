package io.dartmart.domain.service;

import io.dartmart.domain.model.EntityType;
import jakarta.inject.Singleton;

import java.util.Set;

/** Graph templates an engine offers; created under their engine. */
@Singleton
public class SubgraphDefinitionRules implements EntityRules {
    @Override
    public EntityType type() {
        return EntityType.SUBGRAPH_DEFINITION;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "description", "related_type", "related_is_a", "icon", "actions", "datasets", "datastores", "events", "subscriptions", "triggers", "workflows", "tags");
    }
}

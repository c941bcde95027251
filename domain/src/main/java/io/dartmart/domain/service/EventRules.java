package io.dartmart.domain.service;

import io.dartmart.domain.model.EntityType;
import jakarta.inject.Singleton;

import java.util.Set;

/** Named events that external systems fire. */
@Singleton
public class EventRules implements EntityRules {
    @Override
    public EntityType type() {
        return EntityType.EVENT;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "description", "state", "tags");
    }
}

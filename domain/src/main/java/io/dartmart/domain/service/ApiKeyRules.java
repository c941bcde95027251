package io.dartmart.domain.service;

import io.dartmart.domain.model.EntityType;
import jakarta.inject.Singleton;

import java.util.Set;

/** API keys are made by {@link ApiKeys}, which shows the secret once; the generic flow only reads and revokes them. */
@Singleton
public class ApiKeyRules implements EntityRules {
    @Override
    public EntityType type() {
        return EntityType.API_KEY;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("description");
    }
}

package io.dartmart.domain.service;

import io.dartmart.domain.model.EntityType;
import jakarta.inject.Singleton;

import java.util.Set;

/** Elements are listed by the subscription worker, never created or edited by clients. */
@Singleton
public class SubscriptionElementRules implements EntityRules {
    @Override
    public EntityType type() {
        return EntityType.SUBSCRIPTION_ELEMENT;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of();
    }
}

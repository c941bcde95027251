package io.dartmart.domain.service;

import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/** Subscriptions are created on a dataset; their prefixes are fixed once made; deleting one deletes its elements. */
@Singleton
public class SubscriptionRules implements EntityRules {
    private final EntityStore store;

    public SubscriptionRules(EntityStore store) {
        this.store = store;
    }

    @Override
    public EntityType type() {
        return EntityType.SUBSCRIPTION;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "state", "on_failure_email", "on_success_email", "tags");
    }

    @Override
    public void beforeDelete(Connection c, Entity subscription) throws SQLException {
        store.deleteWhere(c, EntityType.SUBSCRIPTION_ELEMENT, "subscription_id", subscription.id());
    }
}

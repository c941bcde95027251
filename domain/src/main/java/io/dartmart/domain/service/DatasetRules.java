package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.dataset.DatasetChecks;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Datasets: every descriptive field is editable, and checked beyond the schema by {@link DatasetChecks}; deleting one
 * deletes its subscriptions and their elements.
 */
@Singleton
public class DatasetRules implements EntityRules {
    private final EntityStore store;

    public DatasetRules(EntityStore store) {
        this.store = store;
    }

    @Override
    public EntityType type() {
        return EntityType.DATASET;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "table_name", "location", "load_type", "data_format", "columns", "primary_keys",
                "merge_keys", "sort_keys", "distribution_keys", "batch_merge_sort_keys", "compression", "partitions",
                "hive_compatible_partition_folders", "description", "tags");
    }

    @Override
    public void checkBeforeTransaction(ObjectNode data) {
        DatasetChecks.checkRegex(data);
    }

    @Override
    public void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller) {
        DatasetChecks.check(data);
    }

    @Override
    public void beforeDelete(Connection c, Entity dataset) throws SQLException {
        for (String subscriptionId : store.idsWhere(c, EntityType.SUBSCRIPTION, "dataset_id", dataset.id())) {
            store.deleteWhere(c, EntityType.SUBSCRIPTION_ELEMENT, "subscription_id", subscriptionId);
        }
        store.deleteWhere(c, EntityType.SUBSCRIPTION, "dataset_id", dataset.id());
    }
}

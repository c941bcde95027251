package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/** Fires when a subscription's unconsumed files reach a size threshold. */
@Singleton
public class SubscriptionBatchTrigger implements TriggerType {
    public static final String NAME = "subscription_batch";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false,
             "required": ["subscription_id", "unconsumed_data_size_in_bytes"],
             "properties": {"subscription_id": {"type": "string", "minLength": 1},
               "unconsumed_data_size_in_bytes": {"type": "integer", "minimum": 1}}}""");
    private final EntityStore store;

    public SubscriptionBatchTrigger(EntityStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows each time the unconsumed files of a subscription reach "
                + "unconsumed_data_size_in_bytes; the batch goes to the run's consume_subscription action.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public void checkArgs(Connection c, ObjectNode args) throws SQLException {
        ReferenceChecks.requireExists(store, c, EntityType.SUBSCRIPTION, args.path("subscription_id").asText(),
                "/data/args/subscription_id");
    }
}

package io.dartmart.triggers.type;

import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

/** Fires when a subscription's unconsumed files reach a size threshold. */
@Singleton
public class SubscriptionBatchTrigger extends ReferenceTrigger {
    public static final String NAME = "subscription_batch";

    public SubscriptionBatchTrigger(EntityStore store) {
        super(store, "subscription_id", EntityType.SUBSCRIPTION, Schemas.parse("""
                {"type": "object", "additionalProperties": false,
                 "required": ["subscription_id", "unconsumed_data_size_in_bytes"],
                 "properties": {"subscription_id": {"type": "string", "minLength": 1},
                   "unconsumed_data_size_in_bytes": {"type": "integer", "minimum": 1}}}"""));
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
}

package io.dartmart.triggers.type;

import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

/** Fires when an external system fires a dart event. */
@Singleton
public class EventTrigger extends ReferenceTrigger {
    public static final String NAME = "event";

    public EventTrigger(EntityStore store) {
        super(store, "event_id", EntityType.EVENT, Schemas.parse("""
                {"type": "object", "additionalProperties": false, "required": ["event_id"],
                 "properties": {"event_id": {"type": "string", "minLength": 1}}}"""));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows each time the event event_id is fired.";
    }
}

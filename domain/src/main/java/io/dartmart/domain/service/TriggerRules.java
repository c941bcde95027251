package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.JsonSchemas;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Triggers: args follow their type's schema and checks; every listed workflow must exist. */
@Singleton
public class TriggerRules implements EntityRules {
    private final EntityStore store;
    private final Map<String, TriggerType> types = new TreeMap<>();

    public TriggerRules(EntityStore store, List<TriggerType> types) {
        this.store = store;
        types.forEach(t -> this.types.put(t.name(), t));
    }

    @Override
    public EntityType type() {
        return EntityType.TRIGGER;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "workflow_ids", "args", "state", "extra_data", "tags");
    }

    @Override
    public void beforeCreate(Connection c, ObjectNode data, Caller caller) {
        normalise(data);
    }

    @Override
    public void beforeUpdate(Connection c, Entity current, ObjectNode merged, Caller caller) {
        normalise(merged);
    }

    private static void normalise(ObjectNode data) {
        JsonNode ids = data.get("workflow_ids");
        if (ids == null || ids.isNull()) {
            data.set("workflow_ids", Json.array());
        }
        JsonNode args = data.get("args");
        if (args == null || args.isNull()) {
            data.set("args", Json.object());
        }
    }

    @Override
    public void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller)
            throws SQLException {
        String typeName = data.path("trigger_type_name").asText();
        TriggerType type = types.get(typeName);
        if (type == null || !type.userCreatable()) {
            throw new InvalidInputException("/data/trigger_type_name: '" + typeName + "' is not a trigger type;"
                    + " use one of " + String.join(", ", userTypes()));
        }
        JsonSchemas.applyDefaultsAndValidate(type.paramsJsonSchema(), (ObjectNode) data.get("args"), "/data/args");
        type.checkArgs(c, (ObjectNode) data.get("args"));
        int i = 0;
        for (JsonNode wf : data.get("workflow_ids")) {
            if (store.find(c, EntityType.WORKFLOW, wf.asText()).isEmpty()) {
                throw new InvalidInputException("/data/workflow_ids/" + i + ": workflow '" + wf.asText()
                        + "' does not exist");
            }
            i++;
        }
    }

    private List<String> userTypes() {
        return types.values().stream().filter(TriggerType::userCreatable).map(TriggerType::name).toList();
    }

    /** The trigger types users may create, by name. */
    public List<TriggerType> creatableTypes() {
        return types.values().stream().filter(TriggerType::userCreatable).toList();
    }
}

package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.ForbiddenException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.schema.JsonSchemas;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Engine registration: every schema it carries must be a valid JSON Schema, and an engine key registers only itself. */
@Singleton
public class EngineRules implements EntityRules {
    private final EntityStore store;

    public EngineRules(EntityStore store) {
        this.store = store;
    }

    @Override
    public EntityType type() {
        return EntityType.ENGINE;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "description", "options_json_schema", "supported_action_types", "ecs_task_definition",
                "ecs_task_definition_arn", "launcher", "tags");
    }

    @Override
    public void beforeCreate(Connection c, ObjectNode data, Caller caller) {
        requireOwnEngine(data.path("name").asText(null), caller);
    }

    @Override
    public void beforeUpdate(Connection c, Entity current, ObjectNode merged, Caller caller) {
        requireOwnEngine(current.text("name"), caller);
        requireOwnEngine(merged.path("name").asText(null), caller);
    }

    private static void requireOwnEngine(String name, Caller caller) {
        if (caller.isEngine() && !java.util.Objects.equals(name, caller.engineName())) {
            throw new ForbiddenException("an engine key for '" + caller.engineName()
                    + "' may only register that engine, not '" + name + "'");
        }
    }

    /** Compiles the engine's schemas (their patterns included) before the transaction; inside, they are cached. */
    @Override
    public void checkBeforeTransaction(ObjectNode data) {
        checkSchemas(data);
    }

    @Override
    public void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller) {
        checkSchemas(data);
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode t : data.path("supported_action_types")) {
            if (!names.add(t.path("name").asText())) {
                throw new InvalidInputException("/data/supported_action_types/" + i + "/name: action type '"
                        + t.path("name").asText() + "' is listed twice");
            }
            i++;
        }
    }

    private static void checkSchemas(ObjectNode data) {
        JsonNode options = data.path("options_json_schema");
        if (options.isObject()) {
            JsonSchemas.checkSchema(options, "/data/options_json_schema");
        }
        int i = 0;
        for (JsonNode t : data.path("supported_action_types")) {
            JsonNode params = t.path("params_json_schema");
            if (params.isObject()) {
                JsonSchemas.checkSchema(params, "/data/supported_action_types/" + i + "/params_json_schema");
            }
            i++;
        }
    }

    @Override
    public void beforeDelete(Connection c, Entity engine) throws SQLException {
        List<Filter> byEngine = List.of(Filter.eq("engine_name", engine.text("name")));
        long datastores = store.count(c, EntityType.DATASTORE, byEngine);
        if (datastores > 0) {
            throw new ConflictException("engine '" + engine.text("name") + "' still has " + datastores
                    + " datastore(s); delete them first");
        }
        store.deleteWhere(c, EntityType.SUBGRAPH_DEFINITION, "engine_name", engine.text("name"));
    }
}

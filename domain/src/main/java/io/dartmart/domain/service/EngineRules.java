package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.ForbiddenException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.JsonSchemas;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Engine registration: every schema it carries must be a valid JSON Schema; only admin keys decide how an engine is
 * launched; an engine others refer to keeps its name.
 */
@Singleton
public class EngineRules implements EntityRules {
    /** The fields that say how an engine is launched. */
    static final List<String> LAUNCH_FIELDS = List.of("launcher", "ecs_task_definition_arn", "ecs_task_definition");

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
        requireLaunchUnchanged(Json.object(), data, caller);
    }

    @Override
    public void beforeUpdate(Connection c, Entity current, ObjectNode merged, Caller caller) throws SQLException {
        requireLaunchUnchanged(current.data(), merged, caller);
        String from = current.text("name");
        if (!Objects.equals(from, merged.path("name").asText(null))) {
            long users = referencesTo(c, from);
            if (users > 0) {
                throw new ConflictException("engine '" + from + "' cannot be renamed: " + users
                        + " datastore(s), action(s) or workflow(s) name it");
            }
        }
    }

    /**
     * How an engine is launched runs commands on dart's hosts, so only an admin key may set or change it; an engine
     * key re-registers its schemas and description and leaves these as stored.
     */
    private static void requireLaunchUnchanged(ObjectNode stored, ObjectNode wanted, Caller caller) {
        if (caller.role() == Role.ADMIN) {
            return;
        }
        for (String field : LAUNCH_FIELDS) {
            if (!Objects.equals(present(stored.get(field)), present(wanted.get(field)))) {
                throw new ForbiddenException("/data/" + field + ": only an admin key may set or change how an engine"
                        + " is launched (" + String.join(", ", LAUNCH_FIELDS) + "); leave it out, or send it as stored");
            }
        }
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    private long referencesTo(Connection c, String engineName) throws SQLException {
        List<Filter> byEngine = List.of(Filter.eq("engine_name", engineName));
        long n = 0;
        for (EntityType t : List.of(EntityType.DATASTORE, EntityType.ACTION, EntityType.WORKFLOW)) {
            n += store.count(c, t, byEngine);
        }
        return n;
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

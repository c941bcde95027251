package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.schema.EntitySchemas;
import io.dartmart.domain.service.Engines;
import io.dartmart.domain.service.TriggerRules;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.trigger.TriggerType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** JSON Schemas for the UI's forms; where an engine or trigger type shapes the args, its schema is embedded. */
@Controller("/api/1/schema")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SchemaController {
    private static final Map<String, EntityType> PLAIN = Map.of(
            "engine", EntityType.ENGINE, "datastore", EntityType.DATASTORE, "action", EntityType.ACTION,
            "workflow", EntityType.WORKFLOW, "dataset", EntityType.DATASET, "subscription", EntityType.SUBSCRIPTION,
            "event", EntityType.EVENT, "subgraph_definition", EntityType.SUBGRAPH_DEFINITION);

    private final Engines engines;
    private final TriggerRules triggers;
    private final Db db;

    public SchemaController(Engines engines, TriggerRules triggers, Db db) {
        this.engines = engines;
        this.triggers = triggers;
        this.db = db;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{entity}")
    public HttpResponse<String> plain(String entity) {
        EntityType type = PLAIN.get(entity);
        if (type == null) {
            throw new NotFoundException("no schema for '" + entity + "'; schemas exist for " + String.join(", ",
                    new java.util.TreeSet<>(PLAIN.keySet())) + ", workflow/instance and trigger");
        }
        return Responses.results(EntitySchemas.of(type));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/workflow/instance")
    public HttpResponse<String> workflowInstance() {
        return Responses.results(EntitySchemas.of(EntityType.WORKFLOW_INSTANCE));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/trigger")
    public HttpResponse<String> trigger(@Nullable @QueryValue("trigger_type_name") String typeName) {
        if (typeName == null || typeName.isBlank()) {
            return Responses.results(EntitySchemas.of(EntityType.TRIGGER));
        }
        TriggerType type = triggers.creatableTypes().stream().filter(t -> t.name().equals(typeName)).findFirst()
                .orElseThrow(() -> new NotFoundException("trigger type '" + typeName + "' does not exist"));
        return Responses.results(EntitySchemas.withProperty(EntityType.TRIGGER, "args", type.paramsJsonSchema()));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/engine/{name}/datastore")
    public HttpResponse<String> datastore(String name) {
        var engine = db.read(c -> engines.byName(c, name))
                .orElseThrow(() -> new NotFoundException("engine '" + name + "' is not registered"));
        JsonNode options = engine.data().get("options_json_schema");
        return Responses.results(EntitySchemas.withProperty(EntityType.DATASTORE, "args",
                options == null || options.isNull() ? null : options));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/action/{actionType}")
    public HttpResponse<String> action(String actionType, @Nullable @QueryValue("engine_name") String engineName) {
        if (engineName == null || engineName.isBlank()) {
            throw new io.dartmart.domain.error.InvalidInputException("engine_name: required query parameter");
        }
        var engine = db.read(c -> engines.byName(c, engineName))
                .orElseThrow(() -> new NotFoundException("engine '" + engineName + "' is not registered"));
        JsonNode params;
        try {
            params = engines.actionTypeSchema(engine, actionType, "action_type_name");
        } catch (io.dartmart.domain.error.InvalidInputException e) {
            throw new NotFoundException(e.getMessage());
        }
        return Responses.results(EntitySchemas.withProperty(EntityType.ACTION, "args", params));
    }
}

package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.store.ListQuery;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/**
 * The plain CRUD routes every first-class entity shares: {@code /api/1/<entity>} and {@code /api/1/<entity>/{id}}.
 * Routes particular to one entity live in their own controllers; literal paths there win over these.
 */
@Controller("/api/1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, "application/json-patch+json"})
public class EntityController {
    private static final Map<String, EntityType> ROUTED = Map.of(
            "engine", EntityType.ENGINE, "datastore", EntityType.DATASTORE, "action", EntityType.ACTION,
            "workflow", EntityType.WORKFLOW, "trigger", EntityType.TRIGGER, "dataset", EntityType.DATASET,
            "subscription", EntityType.SUBSCRIPTION, "event", EntityType.EVENT);
    /** Query parameters that filter a list by a parent, as the original's clients send them. */
    private static final Map<EntityType, String[]> SHORTCUTS = Map.of(
            EntityType.ACTION, new String[]{"datastore_id", "workflow_id", "workflow_instance_id"},
            EntityType.WORKFLOW, new String[]{"datastore_id"},
            EntityType.SUBSCRIPTION, new String[]{"dataset_id"});

    private final Entities entities;

    public EntityController(Entities entities) {
        this.entities = entities;
    }

    private static EntityType type(String name, HttpRequest<?> request) {
        EntityType type = ROUTED.get(name);
        if (type == null) {
            throw new NotFoundException("no route " + request.getMethod() + " " + request.getPath());
        }
        return type;
    }

    /**
     * Engine registration and the changes of one action have routes of their own, which declare other roles
     * ({@link EngineRegistrationController}, {@link ActionController}): these refuse them, however the path spells
     * the name.
     */
    private static EntityType writable(String name, HttpRequest<?> request) {
        EntityType type = type(name, request);
        HttpMethod m = request.getMethod();
        if (type == EntityType.ENGINE || (type == EntityType.ACTION && (m == HttpMethod.PUT || m == HttpMethod.PATCH))) {
            throw new NotFoundException("no route " + m + " " + request.getPath());
        }
        return type;
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/{entity}")
    public HttpResponse<String> create(String entity, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.create(writable(entity, request), Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{entity}")
    public HttpResponse<String> list(String entity, HttpRequest<?> request) {
        EntityType type = type(entity, request);
        List<Filter> imposed = new ArrayList<>(ListParams.shortcuts(request, SHORTCUTS.getOrDefault(type, new String[0])));
        Scope.listFilter(Bodies.caller(request), type).ifPresent(imposed::add);
        ListQuery query = ListParams.from(request, imposed);
        return Responses.page(entities.list(type, query));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{entity}/{id}")
    public HttpResponse<String> get(String entity, String id, HttpRequest<?> request) {
        EntityType type = type(entity, request);
        Entity found = entities.get(type, id);
        Scope.require(Bodies.caller(request), found, false);
        return Responses.one(found);
    }

    @Allowed({ADMIN, EDITOR})
    @Put("/{entity}/{id}")
    public HttpResponse<String> put(String entity, String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.update(writable(entity, request), id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR})
    @Patch("/{entity}/{id}")
    public HttpResponse<String> patch(String entity, String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.patch(writable(entity, request), id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR})
    @Delete("/{entity}/{id}")
    public HttpResponse<String> delete(String entity, String id, HttpRequest<?> request) {
        entities.delete(writable(entity, request), id);
        return Responses.ok();
    }
}

package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.Entities;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ACTION_TOKEN;
import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/**
 * One action, which engine keys and action tokens also read and report progress on (within their
 * {@link Scope}); the other action routes are {@link EntityController}'s.
 */
@Controller("/api/1/action")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, "application/json-patch+json"})
public class ActionController {
    private final Entities entities;

    public ActionController(Entities entities) {
        this.entities = entities;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE, ACTION_TOKEN})
    @Get("/{id}")
    public HttpResponse<String> get(String id, HttpRequest<?> request) {
        var action = entities.get(EntityType.ACTION, id);
        Scope.require(Bodies.caller(request), action, false);
        return Responses.one(action);
    }

    @Allowed({ADMIN, EDITOR, ENGINE, ACTION_TOKEN})
    @Put("/{id}")
    public HttpResponse<String> put(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.update(EntityType.ACTION, id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, ENGINE, ACTION_TOKEN})
    @Patch("/{id}")
    public HttpResponse<String> patch(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.patch(EntityType.ACTION, id, Bodies.json(body), Bodies.caller(request)));
    }
}

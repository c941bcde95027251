package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.Entities;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.ENGINE;

/**
 * Engine registration, which engine keys do for their own engine and editors may not; reading engines is
 * {@link EntityController}'s.
 */
@Controller("/api/1/engine")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, "application/json-patch+json"})
public class EngineRegistrationController {
    private final Entities entities;

    public EngineRegistrationController(Entities entities) {
        this.entities = entities;
    }

    @Allowed({ADMIN, ENGINE})
    @Post
    public HttpResponse<String> register(@Body String body, HttpRequest<?> request) {
        return Responses.one(entities.create(EntityType.ENGINE, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, ENGINE})
    @Put("/{id}")
    public HttpResponse<String> reRegister(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.update(EntityType.ENGINE, id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, ENGINE})
    @Patch("/{id}")
    public HttpResponse<String> patch(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(entities.patch(EntityType.ENGINE, id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed(ADMIN)
    @Delete("/{id}")
    public HttpResponse<String> delete(String id) {
        entities.delete(EntityType.ENGINE, id);
        return Responses.ok();
    }
}

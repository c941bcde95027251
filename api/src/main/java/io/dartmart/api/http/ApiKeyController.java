package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.ApiKeys;
import io.dartmart.domain.service.Entities;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;

/** API keys; admin only. The secret is in the creation answer and nowhere else, ever. */
@Controller("/api/1/api_key")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyController {
    private final ApiKeys keys;
    private final Entities entities;

    public ApiKeyController(ApiKeys keys, Entities entities) {
        this.keys = keys;
        this.entities = entities;
    }

    @Allowed(ADMIN)
    @Post
    public HttpResponse<String> create(@Body String body) {
        return Responses.one(keys.create(Bodies.json(body)));
    }

    @Allowed(ADMIN)
    @Get
    public HttpResponse<String> list(HttpRequest<?> request) {
        var page = entities.list(EntityType.API_KEY, ListParams.from(request));
        return Responses.page(page.map(ApiKeys::present));
    }

    @Allowed(ADMIN)
    @Get("/{id}")
    public HttpResponse<String> get(String id) {
        return Responses.one(ApiKeys.present(entities.get(EntityType.API_KEY, id)));
    }

    @Allowed(ADMIN)
    @Delete("/{id}")
    public HttpResponse<String> revoke(String id) {
        entities.delete(EntityType.API_KEY, id);
        return Responses.ok();
    }
}

package io.dartmart.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.Envelopes;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Page;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;

import java.util.List;

/**
 * Success bodies: {@code {"results": ...}}; lists add {@code limit}, {@code offset}, {@code total}, how exact that
 * total is ({@code total_kind}) and {@code cursor}, the {@code after} of the next page.
 */
public final class Responses {
    private Responses() {
    }

    public static HttpResponse<String> results(JsonNode results) {
        ObjectNode body = Json.object();
        body.set("results", results);
        return json(body);
    }

    public static HttpResponse<String> one(Entity entity) {
        return results(Envelopes.of(entity));
    }

    public static HttpResponse<String> many(List<Entity> entities) {
        return results(Envelopes.of(entities));
    }

    public static HttpResponse<String> ok() {
        ObjectNode body = Json.object();
        body.put("results", "OK");
        return json(body);
    }

    public static HttpResponse<String> page(Page page) {
        ObjectNode body = Json.object();
        body.set("results", Envelopes.of(page.items()));
        body.put("limit", page.limit());
        body.put("offset", page.offset());
        body.put("total", page.total());
        body.put("total_kind", page.totalKind().wireName());
        body.put("cursor", page.cursor());
        return json(body);
    }

    public static HttpResponse<String> json(ObjectNode body) {
        return HttpResponse.ok(Json.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}

package io.dartmart.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.auth.AuthFilter;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.model.Json;
import io.micronaut.http.HttpRequest;

/** Request helpers shared by the controllers. */
public final class Bodies {
    private Bodies() {
    }

    /** The JSON of a request body; malformed JSON is a 400 that says where it broke. */
    public static JsonNode json(String body) {
        return Json.parse(body, "body");
    }

    /** The authenticated caller that {@link AuthFilter} attached. */
    public static Caller caller(HttpRequest<?> request) {
        return request.getAttribute(AuthFilter.CALLER, Caller.class)
                .orElseThrow(() -> new IllegalStateException("no caller on an authenticated route"));
    }
}

package io.dartmart.api.error;

import io.dartmart.domain.model.Json;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** The one error body of the API: {@code {"results": "ERROR", "error_message": "..."}}. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    public static String body(String message) {
        var node = Json.object();
        node.put("results", "ERROR");
        node.put("error_message", message);
        return Json.write(node);
    }

    public static MutableHttpResponse<String> response(int status, String message) {
        return HttpResponse.<String>status(HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body(message));
    }
}

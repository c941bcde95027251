package io.dartmart.api.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** One HTTP request and its answer, as the test client saw them. */
public record Exchange(String method, String path, Map<String, String> query, Map<String, String> requestHeaders,
                       String requestBody, int status, String contentType, String responseBody, JsonNode json) {

    /** {@code results} of a success body. */
    public JsonNode results() {
        return json.get("results");
    }

    public String errorMessage() {
        return json == null ? null : json.path("error_message").asText(null);
    }
}

package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;

/** Trigger argument schemas are small, so they are written inline as JSON text. */
final class Schemas {
    private Schemas() {
    }

    static JsonNode parse(String json) {
        return Json.parseTrusted(json);
    }
}

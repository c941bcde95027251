package io.dartmart.api.support;

import io.dartmart.domain.model.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract check must be able to fail: answers that drift from openapi.yaml are caught. */
class ContractSelfTest {
    private static Exchange exchange(String method, String path, int status, String body) {
        return new Exchange(method, path, Map.of(), Map.of("Accept", "application/json"), null, status,
                "application/json", body, Json.parseTrusted(body));
    }

    @Test
    void aConformingAnswerPasses() {
        assertDoesNotThrow(() -> Contract.check(exchange("GET", "/api/1/event/ABC", 200,
                "{\"results\": {\"id\": \"ABC\", \"version_id\": 1, \"created\": \"2026-01-01T00:00:00.000000+00:00\","
                        + " \"updated\": \"2026-01-01T00:00:00.000000+00:00\", \"data\": {\"name\": \"e\"}}}")));
    }

    @Test
    void aMissingEnvelopeFieldFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> Contract.check(exchange("GET", "/api/1/event/ABC",
                200, "{\"results\": {\"id\": \"ABC\", \"data\": {\"name\": \"e\"}}}")));
        assertTrue(e.getMessage().contains("version_id"), e.getMessage());
    }

    @Test
    void anErrorBodyOfTheWrongShapeFails() {
        assertThrows(AssertionError.class, () -> Contract.check(exchange("GET", "/api/1/event/ABC", 404,
                "{\"message\": \"Not Found\"}")));
    }

    @Test
    void anUndocumentedRouteFails() {
        assertThrows(AssertionError.class, () -> Contract.check(exchange("GET", "/api/1/no_such_thing", 200,
                "{\"results\": []}")));
    }
}

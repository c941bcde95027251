package io.dartmart.engines.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's checks and the registration document it produces; no server involved. */
class DartEngineTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ActionHandler NOTHING = ctx -> { };

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    private static DartEngine.Builder minimal() {
        return DartEngine.builder().apiUrl("http://localhost:5000").apiKey("k:s").name("my_engine");
    }

    @Test
    void theRegistrationListsTheEngineAndItsActionTypesInOrder() throws Exception {
        DartEngine e = minimal().description("does things")
                .optionsSchema(json("{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}"))
                .actionType("b_first", "first", json("{\"type\": \"object\", \"required\": [\"x\"]}"), NOTHING)
                .actionType("a_second", null, null, NOTHING)
                .build();
        assertEquals(json("""
                {"name": "my_engine", "description": "does things",
                 "options_json_schema": {"type": "object", "properties": {"n": {"type": "integer"}}},
                 "supported_action_types": [
                   {"name": "b_first", "description": "first", "params_json_schema": {"type": "object", "required": ["x"]}},
                   {"name": "a_second", "description": null, "params_json_schema": null}]}"""), e.registration());
        assertFalse(e.registration().has("launcher"), "no launcher unless one is set");
        assertEquals("my_engine", e.name());
    }

    @Test
    void theRegistrationIsACopy() throws Exception {
        ObjectNode schema = (ObjectNode) json("{\"type\": \"object\"}");
        DartEngine e = minimal().optionsSchema(schema).build();
        schema.put("type", "string");
        e.registration().put("name", "changed");
        assertEquals("object", e.registration().get("options_json_schema").get("type").asText());
        assertEquals("my_engine", e.registration().get("name").asText());
        assertNotSame(e.registration(), e.registration());
    }

    @Test
    void aLauncherIsRegisteredOnlyWhenSet() throws Exception {
        JsonNode launcher = json("{\"type\": \"local_process\", \"command\": [\"java\", \"-jar\", \"e.jar\"]}");
        assertEquals(launcher, minimal().launcher(launcher).build().registration().get("launcher"));
        JsonNode pull = minimal().launcher(null).build().registration();
        assertTrue(pull.has("launcher") && pull.get("launcher").isNull());
    }

    @Test
    void theBuilderRefusesWhatTheApiWould() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> minimal().name("has space"));
        assertThrows(IllegalArgumentException.class, () -> minimal().name(null));
        assertThrows(IllegalArgumentException.class, () -> minimal().actionType("bad name", null, null, NOTHING));
        assertThrows(IllegalArgumentException.class,
                () -> minimal().actionType("t", null, null, NOTHING).actionType("t", null, null, NOTHING));
        assertThrows(NullPointerException.class, () -> minimal().actionType("t", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> minimal().actionType("t", null, json("[]"), NOTHING));
        assertThrows(IllegalArgumentException.class, () -> minimal().optionsSchema(json("\"object\"")));
        assertThrows(IllegalArgumentException.class, () -> minimal().pollWaitSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> minimal().pollWaitSeconds(51));
        assertThrows(IllegalArgumentException.class, () -> minimal().pullBatch(0));
        assertThrows(IllegalArgumentException.class, () -> minimal().pullBatch(101));
        assertThrows(IllegalArgumentException.class, () -> minimal().heartbeatInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> minimal().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> minimal().build().startPullWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> minimal().apiUrl("ftp://host/").build());
        assertThrows(IllegalStateException.class, () -> DartEngine.builder().apiKey("k:s").name("n").build());
        assertThrows(IllegalStateException.class,
                () -> DartEngine.builder().apiUrl("http://h").name("n").build());
        assertThrows(IllegalStateException.class, () -> DartEngine.builder().apiUrl("http://h").apiKey("k:s").build());
    }

    @Test
    void aMalformedKeyIsRefusedWithoutShowingTheSecret() {
        for (String key : new String[]{"QQQ", "key:", ":QQQ", "key:Q QQ", "key:QQ:QQ"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> minimal().apiKey(key));
            assertFalse(e.getMessage().contains("Q"), e.getMessage());
        }
    }

    @Test
    void apiErrorsSayWhatFailed() {
        DartApiException e = new DartApiException("PUT", "/api/1/engine/action/X/checkin", 400, "/state: must be SUCCESS");
        assertEquals("PUT /api/1/engine/action/X/checkin answered 400: /state: must be SUCCESS", e.getMessage());
        assertFalse(e.isRetryable());
        assertTrue(new DartApiException("GET", "/p", 503, null).isRetryable());
        assertTrue(new DartApiException("GET", "/p", 429, null).isRetryable());
        assertEquals("GET /p answered 502", new DartApiException("GET", "/p", 502, null).getMessage());
    }
}

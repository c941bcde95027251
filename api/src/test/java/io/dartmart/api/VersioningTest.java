package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimistic locking: a change based on a stale version is refused with 409 and changes nothing. */
@MicronautTest
class VersioningTest extends ApiTestBase {
    private ApiClient api;

    @BeforeAll
    void setUp() {
        api = admin();
    }

    private JsonNode event() {
        return ok(api.post("/api/1/event", body(Map.of("name", "v-" + unique())))).results();
    }

    @Test
    void putWithAStaleVersionIsAConflictAndChangesNothing() {
        JsonNode e = event();
        String id = e.get("id").asText();
        ObjectNode first = e.get("data").deepCopy();
        first.put("description", "first");
        ok(api.put("/api/1/event/" + id, Map.of("version_id", 1, "data", first)));

        ObjectNode second = e.get("data").deepCopy();
        second.put("description", "second");
        String msg = error(409, api.put("/api/1/event/" + id, Map.of("version_id", 1, "data", second)));
        assertTrue(msg.contains("version"), msg);
        JsonNode now = ok(api.get("/api/1/event/" + id)).results();
        assertEquals("first", now.path("data").path("description").asText());
        assertEquals(2, now.get("version_id").asInt());
    }

    @Test
    void patchAppliesJsonPatchAndBumpsTheVersion() {
        JsonNode e = event();
        String id = e.get("id").asText();
        JsonNode patched = ok(api.patch("/api/1/event/" + id, List.of(
                Map.of("op", "replace", "path", "/data/state", "value", "ACTIVE"),
                Map.of("op", "add", "path", "/data/tags/-", "value", "hourly")))).results();
        assertEquals("ACTIVE", patched.path("data").path("state").asText());
        assertEquals("hourly", patched.path("data").path("tags").get(0).asText());
        assertEquals(2, patched.get("version_id").asInt());
    }

    @Test
    void patchCarryingAStaleVersionIsAConflict() {
        JsonNode e = event();
        String id = e.get("id").asText();
        ok(api.patch("/api/1/event/" + id, List.of(Map.of("op", "add", "path", "/data/description", "value", "a"))));
        error(409, api.patch("/api/1/event/" + id, List.of(
                Map.of("op", "test", "path", "/version_id", "value", 1),
                Map.of("op", "replace", "path", "/data/description", "value", "b"))));
        error(409, api.patch("/api/1/event/" + id, List.of(
                Map.of("op", "replace", "path", "/version_id", "value", 1),
                Map.of("op", "replace", "path", "/data/description", "value", "b"))));
        assertEquals("a", ok(api.get("/api/1/event/" + id)).results().path("data").path("description").asText());
    }

    @Test
    void aPatchThatBreaksTheSchemaIsRefused() {
        JsonNode e = event();
        String msg = error(400, api.patch("/api/1/event/" + e.get("id").asText(), List.of(
                Map.of("op", "replace", "path", "/data/state", "value", "SIDEWAYS"))));
        assertTrue(msg.startsWith("/data/state"), msg);
        error(400, api.patch("/api/1/event/" + e.get("id").asText(), Map.of("op", "replace")));
        error(400, api.patch("/api/1/event/" + e.get("id").asText(), List.of(
                Map.of("op", "remove", "path", "/data/nothing_here"))));
    }

    @Test
    void concurrentWritersNeverSilentlyOverwrite() throws Exception {
        JsonNode e = event();
        String id = e.get("id").asText();
        int writers = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    ObjectNode data = e.get("data").deepCopy();
                    data.put("description", "writer " + n);
                    return api.put("/api/1/event/" + id, Map.of("version_id", 1, "data", data)).status();
                }));
            }
            int okCount = 0;
            for (var r : results) {
                int status = r.get();
                assertTrue(status == 200 || status == 409, "status " + status);
                okCount += status == 200 ? 1 : 0;
            }
            assertEquals(1, okCount, "exactly one writer of version 1 wins");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, ok(api.get("/api/1/event/" + id)).results().get("version_id").asInt());
    }
}

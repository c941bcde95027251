package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkout and checkin as engines use them; the engine worker's QUEUED -> PENDING is simulated in SQL here. */
@MicronautTest
class EngineProtocolTest extends ApiTestBase {
    private ApiClient api;
    private ApiClient engineKey;
    private String engine;
    private String templateId;
    private String workflowId;

    @BeforeAll
    void setUp() {
        api = admin();
        engine = "proto_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        engineKey = as("engine", engine);
        templateId = ok(api.post("/api/1/datastore", body(Map.of("name", "t", "engine_name", engine,
                "state", "TEMPLATE")))).results().get("id").asText();
        workflowId = ok(api.post("/api/1/datastore/" + templateId + "/workflow",
                body(Map.of("name", "p", "state", "ACTIVE", "concurrency", 5)))).results().get("id").asText();
        ok(api.post("/api/1/workflow/" + workflowId + "/action", List.of(
                body(Map.of("name", "first", "action_type_name", "step")),
                body(Map.of("name", "second", "action_type_name", "step")))));
    }

    /** Runs the workflow; answers the instance's first action, made PENDING as the engine worker would. */
    private JsonNode pendingFirstAction() throws Exception {
        ok(api.post("/api/1/workflow/" + workflowId + "/do-manual-trigger", null));
        JsonNode instance = ok(api.get("/api/1/workflow/" + workflowId + "/instance",
                Map.of("order_by", "[\"created DESC\"]", "limit", "1"))).results().get(0);
        JsonNode action = ok(api.get("/api/1/action", Map.of("workflow_instance_id", instance.get("id").asText(),
                "filters", "[\"state = QUEUED\"]"))).results().get(0);
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "UPDATE action SET data = jsonb_set(data, '{state}', '\"PENDING\"') WHERE id = ?")) {
            ps.setString(1, action.get("id").asText());
            ps.executeUpdate();
        }
        return action;
    }

    @Test
    void checkoutThenCheckin() throws Exception {
        JsonNode action = pendingFirstAction();
        String id = action.get("id").asText();
        String instanceId = action.path("data").path("workflow_instance_id").asText();

        JsonNode out = ok(engineKey.put("/api/1/engine/action/" + id + "/checkout", null)).results();
        assertEquals("RUNNING", out.path("action").path("data").path("state").asText());
        assertFalse(out.path("action").path("data").path("start_time").isNull());
        assertEquals(engine, out.path("engine").path("data").path("name").asText());
        assertEquals("ACTIVE", out.path("datastore").path("data").path("state").asText(),
                "the engine works on the run's clone of the TEMPLATE datastore");
        assertEquals("RUNNING", ok(api.get("/api/1/workflow/instance/" + instanceId)).results()
                .path("data").path("state").asText(), "the first checkout starts the instance");

        String again = error(400, engineKey.put("/api/1/engine/action/" + id + "/checkout", null));
        assertTrue(again.contains("RUNNING"), again);

        ok(api.patch("/api/1/action/" + id, List.of(Map.of("op", "add", "path", "/data/progress", "value", 0.5))));
        assertEquals("OK", ok(engineKey.put("/api/1/engine/action/" + id + "/checkin",
                Map.of("state", "SUCCESS", "error_message", "disk nearly full"))).results().asText());
        JsonNode after = ok(api.get("/api/1/action/" + id)).results();
        assertEquals("COMPLETED", after.path("data").path("state").asText(), "the outcome is applied at check-in");
        assertEquals("disk nearly full", after.path("data").path("error_message").asText());
        assertEquals(0.5, after.path("data").path("progress").asDouble());
        error(400, engineKey.put("/api/1/engine/action/" + id + "/checkin", Map.of("state", "SUCCESS")));
    }

    @Test
    void checkoutOfAnActionThatIsNotPendingIsRefused() throws Exception {
        JsonNode action = pendingFirstAction();
        JsonNode second = ok(api.get("/api/1/action", Map.of("workflow_instance_id",
                action.path("data").path("workflow_instance_id").asText(), "filters",
                "[\"state = HAS_NEVER_RUN\"]"))).results().get(0);
        String msg = error(400, engineKey.put("/api/1/engine/action/" + second.get("id").asText() + "/checkout", null));
        assertTrue(msg.contains("HAS_NEVER_RUN"), msg);
        error(404, engineKey.put("/api/1/engine/action/NOSUCHACTION/checkout", null));
    }

    @Test
    void checkinNeedsAKnownOutcome() throws Exception {
        String id = pendingFirstAction().get("id").asText();
        ok(engineKey.put("/api/1/engine/action/" + id + "/checkout", null));
        assertTrue(error(400, engineKey.put("/api/1/engine/action/" + id + "/checkin", Map.of("state", "MAYBE")))
                .contains("SUCCESS"));
        error(400, engineKey.put("/api/1/engine/action/" + id + "/checkin", "{not json"));
    }

    @Test
    void onlyTheActionsOwnEngineChecksItOut() throws Exception {
        String id = pendingFirstAction().get("id").asText();
        String other = "other_engine_" + unique();
        registerEngine(other, Map.of("type", "object"), Map.of());
        error(403, as("engine", other).put("/api/1/engine/action/" + id + "/checkout", null));
        error(403, as("editor").put("/api/1/engine/action/" + id + "/checkout", null));
        ok(engineKey.put("/api/1/engine/action/" + id + "/checkout", null));
    }
}

package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PUT /workflow/{id}/steps}: a workflow and its steps saved together, as the workflow editor does. */
@MicronautTest
class WorkflowStepsTest extends ApiTestBase {
    private ApiClient api;
    private JsonNode datastore;
    private JsonNode workflow;
    private JsonNode extract;
    private JsonNode load;

    @BeforeAll
    void engine() {
        api = admin();
        String engine = "steps_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("work", Map.of("type", "object")));
        datastore = ok(api.post("/api/1/datastore", body(Map.of("name", "steps store", "engine_name", engine,
                "state", "TEMPLATE")))).results();
    }

    @BeforeEach
    void workflowWithTwoSteps() {
        workflow = ok(api.post("/api/1/datastore/" + id(datastore) + "/workflow",
                body(Map.of("name", "editor " + unique())))).results();
        JsonNode steps = ok(api.post("/api/1/workflow/" + id(workflow) + "/action", List.of(
                body(Map.of("name", "extract", "action_type_name", "work")),
                body(Map.of("name", "load", "action_type_name", "work"))))).results();
        extract = steps.get(0);
        load = steps.get(1);
    }

    private static String id(JsonNode entity) {
        return entity.get("id").asText();
    }

    private static Map<String, Object> change(JsonNode stored, Map<String, Object> fields) {
        Map<String, Object> data = new HashMap<>();
        stored.get("data").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue()));
        data.putAll(fields);
        return Map.of("id", id(stored), "version_id", stored.get("version_id").asInt(), "data", data);
    }

    private List<String> stepNames() {
        List<String> names = new ArrayList<>();
        ok(api.get("/api/1/action", Map.of("workflow_id", id(workflow), "order_by", "[\"order_idx\"]"))).results()
                .forEach(s -> names.add(s.at("/data/name").asText()));
        return names;
    }

    @Test
    void changesAddsAndDeletesInOneSave() {
        JsonNode saved = ok(api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "workflow", Map.of("version_id", workflow.get("version_id").asInt(),
                        "data", Map.of("name", "renamed", "retries_on_failure", 2)),
                "steps", List.of(
                        change(extract, Map.of("retries", 3, "timeout_seconds", 60, "on_failure", "CONTINUE")),
                        Map.of("data", Map.of("name", "extract_b", "action_type_name", "work", "order_idx", 5)),
                        Map.of("data", Map.of("name", "merge", "action_type_name", "work", "order_idx", 6,
                                "depends_on", List.of("extract", "extract_b")))),
                "deleted_steps", List.of(Map.of("id", id(load), "version_id", load.get("version_id").asInt())))))
                .results();
        assertEquals("renamed", saved.at("/workflow/data/name").asText());
        assertEquals(2, saved.at("/workflow/data/retries_on_failure").asInt());
        assertEquals(List.of("extract", "extract_b", "merge"), stepNames());
        JsonNode first = saved.get("steps").get(0);
        assertEquals(3, first.at("/data/retries").asInt());
        assertEquals(60, first.at("/data/timeout_seconds").asInt());
        assertEquals("CONTINUE", first.at("/data/on_failure").asText());
        assertEquals("TEMPLATE", saved.get("steps").get(2).at("/data/state").asText());
        assertEquals(List.of("extract", "extract_b"),
                List.of(saved.get("steps").get(2).at("/data/depends_on/0").asText(),
                        saved.get("steps").get(2).at("/data/depends_on/1").asText()));
        assertEquals(404, api.get("/api/1/action/" + id(load)).status());
    }

    @Test
    void aStaleVersionIsAConflictAndWritesNothing() {
        ok(api.put("/api/1/action/" + id(load), body(Map.of("name", "load", "action_type_name", "work",
                "on_failure", "HALT"))));
        String message = error(409, api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "workflow", Map.of("version_id", workflow.get("version_id").asInt(), "data", Map.of("name", "lost")),
                "steps", List.of(Map.of("data", Map.of("name", "new", "action_type_name", "work")),
                        change(load, Map.of("retries", 1))))));
        assertTrue(message.startsWith("/steps/1"), message);
        assertEquals(List.of("extract", "load"), stepNames());
        assertEquals(workflow.at("/data/name"), ok(api.get("/api/1/workflow/" + id(workflow))).results()
                .at("/data/name"));

        error(409, api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "deleted_steps", List.of(Map.of("id", id(load), "version_id", load.get("version_id").asInt())))));
        assertEquals(List.of("extract", "load"), stepNames());
    }

    @Test
    void dependenciesMustNameStepsWithoutACycle() {
        String unknown = error(400, api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "steps", List.of(change(load, Map.of("depends_on", List.of("nowhere")))))));
        assertTrue(unknown.contains("nowhere"), unknown);
        String cycle = error(400, api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "steps", List.of(change(load, Map.of("depends_on", List.of("extract"))),
                        change(extract, Map.of("depends_on", List.of("load")))))));
        assertTrue(cycle.contains("cycle"), cycle);
        JsonNode stored = ok(api.get("/api/1/action/" + id(load))).results();
        assertEquals(load.get("version_id"), stored.get("version_id"), "nothing was written");
    }

    @Test
    void onlyTheWorkflowsOwnStepsAndValidStepsAreAccepted() {
        JsonNode other = ok(api.post("/api/1/datastore/" + id(datastore) + "/workflow",
                body(Map.of("name", "other " + unique())))).results();
        JsonNode foreign = ok(api.post("/api/1/workflow/" + id(other) + "/action",
                body(Map.of("name", "foreign", "action_type_name", "work")))).results().get(0);
        String message = error(400, api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "deleted_steps", List.of(Map.of("id", id(foreign))))));
        assertTrue(message.startsWith("/deleted_steps/0"), message);
        String badType = error(400, api.put("/api/1/workflow/" + id(workflow) + "/steps", Map.of(
                "steps", List.of(Map.of("data", Map.of("name", "x", "action_type_name", "no_such_type"))))));
        assertTrue(badType.startsWith("/steps/0"), badType);
        error(403, as("viewer").put("/api/1/workflow/" + id(workflow) + "/steps", Map.of("steps", List.of())));
        assertEquals(404, api.put("/api/1/workflow/nope/steps", Map.of("steps", List.of())).status());
    }
}

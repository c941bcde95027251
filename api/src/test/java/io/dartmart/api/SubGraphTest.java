package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subgraph templates ({@code GET /graph/sub_graph}) and the save of several linked new entities in one transaction
 * ({@code POST /graph/sub_graph}), in the original dart's shape.
 */
@MicronautTest
class SubGraphTest extends ApiTestBase {
    private static final String TEMPLATE = """
            {"name": "chain", "description": "two chained workflows", "related_type": "datastore",
             "related_is_a": "PARENT",
             "workflows": [
               {"id": "UNSAVED-workflow1", "data": {"name": "%1$s wf1", "datastore_id": "PARENT-1", "state": "ACTIVE"}},
               {"id": "UNSAVED-workflow2", "data": {"name": "%1$s wf2", "datastore_id": "PARENT-1", "state": "ACTIVE"}}],
             "actions": [
               {"id": "UNSAVED-action1", "data": {"name": "a1", "action_type_name": "work",
                 "workflow_id": "UNSAVED-workflow1", "order_idx": 1, "state": "TEMPLATE"}},
               {"id": "UNSAVED-action2", "data": {"name": "a2", "action_type_name": "work",
                 "workflow_id": "UNSAVED-workflow2", "order_idx": 1, "state": "TEMPLATE"}}],
             "triggers": [
               {"id": "UNSAVED-trigger1", "data": {"name": "%1$s after wf1", "trigger_type_name": "workflow_completion",
                 "workflow_ids": ["UNSAVED-workflow2"], "state": "ACTIVE",
                 "args": {"completed_workflow_id": "UNSAVED-workflow1"}}}]}""";

    private ApiClient api;
    private String engine;
    private String tag;
    private JsonNode datastore;

    @BeforeAll
    void setUp() {
        api = admin();
        tag = "SG" + unique();
        engine = "subgraph_engine_" + unique();
        JsonNode registered = registerEngine(engine, Map.of("type", "object"), Map.of("work",
                Map.of("type", "object", "properties", Map.of("n", Map.of("type", "integer")),
                        "additionalProperties", false)));
        ApiClient engineKey = as("engine", engine);
        ok(engineKey.post("/api/1/engine/" + registered.get("id").asText() + "/subgraph_definition",
                Map.of("data", Json.parseTrusted(TEMPLATE.formatted(tag)))));
        datastore = ok(api.post("/api/1/datastore", body(Map.of("name", tag + " store", "engine_name", engine,
                "state", "ACTIVE")))).results();
    }

    private JsonNode template() {
        JsonNode all = ok(api.get("/api/1/graph/sub_graph", Map.of("related_type", "datastore",
                "related_id", datastore.get("id").asText()))).results();
        assertEquals(Set.of(engine), fieldNames(all), "only the datastore's engine's templates");
        assertEquals(1, all.get(engine).size());
        return all.get(engine).get(0);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The template's entities, its PARENT-1 given as the datastore, as the original UI posts them. */
    private Map<String, Object> saveBody(JsonNode template) {
        return Map.of("unsaved_entities", template.get("entity_map"),
                "related_entity_data", Map.of("datastore-PARENT-1", Map.of("entity_type", "datastore",
                        "entity_id", datastore.get("id").asText(), "relationship", "PARENT")));
    }

    private int workflowsNamed(String name) {
        return ok(api.get("/api/1/workflow", Map.of("filters", Json.write(Json.array().add("name = " + name)))))
                .json().get("total").asInt();
    }

    @Test
    void templatesComeWithFreshIdsEachTime() {
        JsonNode first = template();
        JsonNode second = template();
        assertEquals("chain", first.get("name").asText());
        assertEquals("PARENT", first.get("related_is_a").asText());
        Set<String> firstIds = fieldNames(first.get("entity_map"));
        assertEquals(5, firstIds.size());
        firstIds.forEach(id -> assertTrue(id.matches("(workflow|action|trigger)-UNSAVED-.+"), id));
        Set<String> overlap = new HashSet<>(firstIds);
        overlap.retainAll(fieldNames(second.get("entity_map")));
        assertTrue(overlap.isEmpty(), "two copies never share an id: " + overlap);
        JsonNode graph = first.get("graph");
        assertEquals(5, graph.get("nodes").size());
        Set<String> edges = new HashSet<>();
        graph.get("edges").forEach(e -> edges.add(e.get("source_type").asText() + ">"
                + e.get("destination_type").asText() + (e.get("source_id").asText().equals("PARENT-1") ? " parent" : "")));
        assertEquals(Set.of("datastore>workflow parent", "workflow>action", "trigger>workflow", "workflow>trigger"),
                edges);
    }

    @Test
    void savesTheTemplateInOneRequestWithRealIds() {
        JsonNode saved = ok(api.post("/api/1/graph/sub_graph", saveBody(template()))).results();
        assertEquals(5, saved.size());
        String wf1 = null;
        String wf2 = null;
        for (var it = saved.fields(); it.hasNext(); ) {
            var e = it.next();
            assertNotEquals(e.getKey().substring(e.getKey().indexOf('-') + 1), e.getValue().get("id").asText());
            assertTrue(!Json.write(e.getValue()).contains("UNSAVED-") && !Json.write(e.getValue()).contains("PARENT-"),
                    "no placeholder is left: " + e.getValue());
            String name = e.getValue().path("data").path("name").asText();
            if (e.getKey().startsWith("workflow-") && name.endsWith("wf1")) {
                wf1 = e.getValue().get("id").asText();
            } else if (e.getKey().startsWith("workflow-") && name.endsWith("wf2")) {
                wf2 = e.getValue().get("id").asText();
            }
        }
        JsonNode wf = ok(api.get("/api/1/workflow/" + wf1)).results();
        assertEquals(datastore.get("id").asText(), wf.at("/data/datastore_id").asText());
        assertEquals(engine, wf.at("/data/engine_name").asText());
        JsonNode steps = ok(api.get("/api/1/action", Map.of("workflow_id", wf1))).results();
        assertEquals(1, steps.size());
        assertEquals("TEMPLATE", steps.get(0).at("/data/state").asText());
        JsonNode triggers = ok(api.get("/api/1/trigger", Map.of("filters",
                Json.write(Json.array().add("args.completed_workflow_id = " + wf1))))).results();
        assertEquals(1, triggers.size());
        assertEquals(List.of(wf2), List.of(triggers.get(0).at("/data/workflow_ids/0").asText()));
    }

    @Test
    void oneBadEntityAmongSeveralLeavesNothingWritten() {
        JsonNode template = template();
        ObjectNode entities = (ObjectNode) template.get("entity_map");
        String badAction = null;
        for (var it = entities.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().startsWith("action-")) {
                badAction = e.getKey();
            }
        }
        ((ObjectNode) entities.get(badAction).get("data")).set("args", Json.parseTrusted("{\"n\": \"not a number\"}"));
        int before = workflowsNamed(tag + " wf1");
        String message = error(400, api.post("/api/1/graph/sub_graph", saveBody(template)));
        assertTrue(message.startsWith("/unsaved_entities/" + badAction + "/data/args"), message);
        assertEquals(before, workflowsNamed(tag + " wf1"), "the workflows created before the bad action are rolled back");
    }

    @Test
    void refusesReferencesItCannotResolve() {
        ObjectNode cycle = Json.object();
        cycle.set("workflow-UNSAVED-a", Json.parseTrusted("{\"id\": \"UNSAVED-a\", \"data\": {\"name\": \"x\", "
                + "\"datastore_id\": \"" + datastore.get("id").asText() + "\", \"tags\": [\"UNSAVED-b\"]}}"));
        cycle.set("workflow-UNSAVED-b", Json.parseTrusted("{\"id\": \"UNSAVED-b\", \"data\": {\"name\": \"y\", "
                + "\"datastore_id\": \"" + datastore.get("id").asText() + "\", \"tags\": [\"UNSAVED-a\"]}}"));
        assertTrue(error(400, api.post("/api/1/graph/sub_graph", Map.of("unsaved_entities", cycle)))
                .contains("cycle"));

        ObjectNode dangling = Json.object();
        dangling.set("workflow-UNSAVED-c", Json.parseTrusted("{\"data\": {\"name\": \"" + tag + " dangling\", "
                + "\"datastore_id\": \"UNSAVED-nowhere\"}}"));
        assertTrue(error(400, api.post("/api/1/graph/sub_graph", Map.of("unsaved_entities", dangling)))
                .contains("UNSAVED-nowhere"));

        JsonNode template = template();
        String message = error(400, api.post("/api/1/graph/sub_graph", Map.of("unsaved_entities",
                template.get("entity_map"))));
        assertTrue(message.contains("/data/datastore_id") && message.contains("PARENT-1"),
                "without related_entity_data, PARENT-1 names no datastore: " + message);
        assertEquals(0, workflowsNamed(tag + " dangling"));

        assertTrue(error(400, api.post("/api/1/graph/sub_graph", Map.of("unsaved_entities",
                Map.of("workflow-x", Map.of("data", Map.of()))))).contains("UNSAVED"));
    }

    @Test
    void aDuplicateNameIsAConflictAndWritesNothing() {
        String name = "sg_dataset_" + unique();
        ok(api.post("/api/1/dataset", body(datasetData(name))));
        ObjectNode entities = Json.object();
        entities.set("workflow-UNSAVED-w", Json.MAPPER.valueToTree(Map.of("data", Map.of("name", tag + " before dup",
                "datastore_id", datastore.get("id").asText()))));
        entities.set("dataset-UNSAVED-d", Json.MAPPER.valueToTree(Map.of("data", datasetData(name))));
        String message = error(409, api.post("/api/1/graph/sub_graph", Map.of("unsaved_entities", entities)));
        assertTrue(message.startsWith("/unsaved_entities/dataset-UNSAVED-d"), message);
        assertEquals(0, workflowsNamed(tag + " before dup"));
    }

    private static Map<String, Object> datasetData(String name) {
        return Map.of("name", name, "location", "s3://bucket/sg",
                "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ","),
                "columns", List.of(Map.of("name", "id", "data_type", "BIGINT")));
    }

    @Test
    void viewersReadTemplatesButCannotSave() {
        ApiClient viewer = as("viewer");
        ok(viewer.get("/api/1/graph/sub_graph", Map.of("engine_name", engine)));
        error(403, viewer.post("/api/1/graph/sub_graph", saveBody(template())));
    }

    @Test
    void anEngineKeyAddsDefinitionsToItsOwnEngineOnly() {
        String other = "other_engine_" + unique();
        JsonNode otherEngine = registerEngine(other, Map.of("type", "object"), Map.of("work", Map.of("type", "object")));
        error(403, as("engine", engine).post("/api/1/engine/" + otherEngine.get("id").asText()
                + "/subgraph_definition", Map.of("data", Map.of("name", "intruder"))));
    }
}

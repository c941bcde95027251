package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON Schema checks: errors name the path and the rule, and nothing is stored when they fail. */
@MicronautTest
class ValidationTest extends ApiTestBase {
    private ApiClient api;
    private String engine;
    private String datastoreId;

    @BeforeAll
    void setUp() {
        api = admin();
        engine = "val_engine_" + unique();
        registerEngine(engine, Map.of("type", "object", "required", List.of("bucket"), "additionalProperties", false,
                        "properties", Map.of("bucket", Map.of("type", "string"),
                                "retries", Map.of("type", "integer", "minimum", 0, "default", 3))),
                Map.of("copy", Map.of("type", "object", "required", List.of("source"),
                        "properties", Map.of("source", Map.of("type", "string", "pattern", "^s3://.+$")))));
        datastoreId = ok(api.post("/api/1/datastore", body(Map.of("name", "v", "engine_name", engine,
                "args", Map.of("bucket", "b"))))).results().get("id").asText();
    }

    @Test
    void datastoreArgsMissingARequiredProperty() {
        String msg = error(400, api.post("/api/1/datastore", body(Map.of("name", "x", "engine_name", engine,
                "args", Map.of("retries", 1)))));
        assertEquals("/data/args/bucket: required property missing", msg);
    }

    @Test
    void datastoreArgsWithAnUndeclaredPropertyAndAWrongType() {
        String msg = error(400, api.post("/api/1/datastore", body(Map.of("name", "x", "engine_name", engine,
                "args", Map.of("bucket", "b", "retries", "three", "colour", "red")))));
        assertTrue(msg.contains("/data/args/retries") && msg.contains("integer"), msg);
        assertTrue(msg.contains("colour"), msg);
    }

    @Test
    void datastoreOfAnUnknownEngine() {
        String msg = error(400, api.post("/api/1/datastore", body(Map.of("name", "x", "engine_name", "ghost"))));
        assertTrue(msg.startsWith("/data/engine_name") && msg.contains("ghost"), msg);
    }

    @Test
    void actionArgsAgainstTheActionTypeSchema() {
        String msg = error(400, api.post("/api/1/datastore/" + datastoreId + "/action",
                body(Map.of("name", "c", "action_type_name", "copy", "args", Map.of("source", "http://x")))));
        assertTrue(msg.startsWith("/data/args/source") && msg.contains("pattern"), msg);
        ok(api.post("/api/1/datastore/" + datastoreId + "/action",
                body(Map.of("name", "c", "action_type_name", "copy", "args", Map.of("source", "s3://b/k")))));
    }

    @Test
    void requiredEntityFieldsAndEnums() {
        assertEquals("/data/name: required property missing",
                error(400, api.post("/api/1/event", body(Map.of("description", "no name")))));
        String msg = error(400, api.post("/api/1/datastore/" + datastoreId + "/workflow",
                body(Map.of("name", "w", "concurrency", 11, "on_failure", "PANIC"))));
        assertTrue(msg.contains("/data/concurrency") && msg.contains("/data/on_failure"), msg);
    }

    @Test
    void engineRegistrationChecksEverySchemaAgainstTheMetaSchema() {
        String msg = error(400, api.post("/api/1/engine", body(Map.of("name", "bad_" + unique(),
                "options_json_schema", Map.of("type", "strin")))));
        assertTrue(msg.startsWith("/data/options_json_schema"), msg);
        msg = error(400, api.post("/api/1/engine", body(Map.of("name", "bad_" + unique(),
                "supported_action_types", List.of(Map.of("name", "t", "params_json_schema",
                        Map.of("type", "object", "properties", Map.of("n", Map.of("minLength", -1)))))))));
        assertTrue(msg.startsWith("/data/supported_action_types/0/params_json_schema"), msg);
    }

    @Test
    void triggerArgsAndReferences() {
        String msg = error(400, api.post("/api/1/trigger", body(Map.of("name", "t", "trigger_type_name", "scheduled",
                "args", Map.of()))));
        assertEquals("/data/args/cron_pattern: required property missing", msg);
        msg = error(400, api.post("/api/1/trigger", body(Map.of("name", "t", "trigger_type_name", "event",
                "args", Map.of("event_id", "NOPE")))));
        assertTrue(msg.startsWith("/data/args/event_id") && msg.contains("NOPE"), msg);
        msg = error(400, api.post("/api/1/trigger", body(Map.of("name", "t", "trigger_type_name", "manual"))));
        assertTrue(msg.startsWith("/data/trigger_type_name") && msg.contains("scheduled"), msg);
        msg = error(400, api.post("/api/1/trigger", body(Map.of("name", "t", "trigger_type_name", "scheduled",
                "workflow_ids", List.of("NOWORKFLOW"), "args", Map.of("cron_pattern", "0 10 * * ? *")))));
        assertTrue(msg.startsWith("/data/workflow_ids/0"), msg);
    }

    @Test
    void valuesTheDatabaseCannotHoldAreClientErrors() {
        String msg = error(400, api.post("/api/1/event", "{\"data\": {\"name\": \"nul\\u0000byte\"}}"));
        assertTrue(msg.contains("NUL"), msg);
        int status = api.get("/api/1/event", Map.of("filters", "[\"stats.rank > 1e999999\"]")).status();
        assertTrue(status == 200 || status == 400, "an absurd number is never a server error, got " + status);
    }

    @Test
    void datasetStructure() {
        String msg = error(400, api.post("/api/1/dataset", body(Map.of("name", "d" + unique(), "location", "ftp://x",
                "data_format", Map.of("file_format", "CSV", "row_format", "DELIMITED"),
                "columns", List.of(Map.of("name", "c", "data_type", "TEXT"))))));
        assertTrue(msg.contains("/data/location") && msg.contains("/data/data_format/file_format")
                && msg.contains("/data/columns/0/data_type"), msg);
    }

    @Test
    void schemaRoutesEmbedTheEngineAndTriggerTypeSchemas() {
        JsonNode ds = ok(api.get("/api/1/schema/engine/" + engine + "/datastore")).results();
        assertEquals("bucket", ds.path("properties").path("args").path("required").get(0).asText());
        JsonNode action = ok(api.get("/api/1/schema/action/copy", Map.of("engine_name", engine))).results();
        assertEquals("^s3://.+$", action.path("properties").path("args").path("properties").path("source")
                .path("pattern").asText());
        JsonNode trigger = ok(api.get("/api/1/schema/trigger", Map.of("trigger_type_name", "super"))).results();
        assertTrue(trigger.path("properties").path("args").path("properties").has("fire_after"));
        ok(api.get("/api/1/schema/workflow/instance"));
        error(404, api.get("/api/1/schema/engine/ghost/datastore"));
        error(404, api.get("/api/1/schema/action/nope", Map.of("engine_name", engine)));
    }
}

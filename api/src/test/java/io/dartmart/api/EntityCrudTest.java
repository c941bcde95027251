package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Create, read, update, list and delete of every entity, with the echo rules existing clients rely on. */
@MicronautTest
class EntityCrudTest extends ApiTestBase {
    private ApiClient api;
    private String engine;

    @BeforeAll
    void setUp() {
        api = admin();
        engine = "crud_engine_" + unique();
        registerEngine(engine, Map.of("type", "object", "properties", Map.of(
                        "sleep", Map.of("type", "integer", "minimum", 0, "default", 5))),
                Map.of("load", Map.of("type", "object", "properties", Map.of(
                                "dataset_id", Map.of("type", "string"),
                                "mode", Map.of("type", "string", "default", "append"))),
                        "noop", Map.of("type", "object")));
    }

    private JsonNode datastore(String state) {
        return ok(api.post("/api/1/datastore", body(Map.of("name", "ds-" + unique(), "engine_name", engine,
                "state", state)))).results();
    }

    @Test
    void engineCrud() {
        String name = "eng_" + unique();
        JsonNode created = registerEngine(name, Map.of("type", "object"), Map.of("a", Map.of("type", "object")));
        String id = created.get("id").asText();
        assertEquals(1, created.get("version_id").asInt());
        assertEquals(List.of(), Json.MAPPER.convertValue(created.path("data").path("tags"), List.class));
        JsonNode got = ok(api.get("/api/1/engine/" + id)).results();
        assertEquals(created, got, "a POST answer and a later GET are identical, timestamps included");

        ObjectNode data = (ObjectNode) got.get("data").deepCopy();
        data.put("description", "re-registered");
        JsonNode put = ok(api.put("/api/1/engine/" + id, Map.of("data", data, "version_id", 1))).results();
        assertEquals("re-registered", put.path("data").path("description").asText());
        assertEquals(2, put.get("version_id").asInt());
        assertEquals(got.get("created"), put.get("created"));

        var found = ok(api.get("/api/1/engine", Map.of("filters", "[\"name = " + name + "\"]"))).json();
        assertEquals(1, found.get("total").asInt());
        assertEquals("OK", ok(api.delete("/api/1/engine/" + id)).results().asText());
        error(404, api.get("/api/1/engine/" + id));
    }

    @Test
    void engineNamesAreUnique() {
        String name = "dup_" + unique();
        registerEngine(name, Map.of("type", "object"), Map.of());
        String msg = error(409, api.post("/api/1/engine", body(Map.of("name", name))));
        assertTrue(msg.contains("name"), msg);
    }

    @Test
    void datastoreEchoesWhatTheClientSentAndFillsServerFields() {
        ObjectNode data = Json.object();
        data.put("name", "echo-" + unique());
        data.put("engine_name", engine);
        data.putNull("host");
        data.putNull("port");
        data.putNull("connection_url");
        data.putNull("extra_data");
        data.put("state", "ACTIVE");
        data.put("concurrency", 2);
        data.set("tags", Json.array().add("nightly"));
        data.set("args", Json.object().put("sleep", 1));
        JsonNode created = ok(api.post("/api/1/datastore", Map.of("data", data))).results();
        JsonNode back = created.get("data");
        for (String field : List.of("name", "engine_name", "host", "port", "connection_url", "extra_data", "state",
                "concurrency", "tags", "args")) {
            assertEquals(data.get(field), back.get(field), field + " is echoed exactly, nulls included");
        }
        assertEquals(ADMIN_USER, back.get("user_id").asText());
        assertTrue(back.get("s3_artifacts_path").asText().startsWith("s3://"));
        assertTrue(back.get("s3_logs_path").asText().endsWith("/logs"));
    }

    @Test
    void datastoreArgsGetTheEngineDefaults() {
        JsonNode ds = datastore("INACTIVE");
        assertEquals(5, ds.path("data").path("args").path("sleep").asInt());
    }

    @Test
    void putIgnoresReadOnlyFieldsAndKeepsEditableOnes() {
        JsonNode ds = datastore("INACTIVE");
        ObjectNode data = ds.get("data").deepCopy();
        data.put("engine_name", "someone_else");
        data.put("s3_logs_path", "s3://elsewhere");
        data.put("name", "renamed-" + unique());
        JsonNode put = ok(api.put("/api/1/datastore/" + ds.get("id").asText(), Map.of("data", data))).results();
        assertEquals(engine, put.path("data").path("engine_name").asText());
        assertEquals(ds.path("data").path("s3_logs_path"), put.path("data").path("s3_logs_path"));
        assertEquals(data.get("name"), put.path("data").path("name"));
    }

    @Test
    void workflowOnAnActiveDatastoreGetsConcurrencyOne() {
        JsonNode ds = datastore("ACTIVE");
        JsonNode wf = ok(api.post("/api/1/datastore/" + ds.get("id").asText() + "/workflow",
                body(Map.of("name", "wf", "concurrency", 5)))).results();
        assertEquals(1, wf.path("data").path("concurrency").asInt());
        assertEquals(ds.get("id"), wf.path("data").path("datastore_id"));
        assertEquals(engine, wf.path("data").path("engine_name").asText());
        assertEquals("INACTIVE", wf.path("data").path("state").asText());
        assertEquals(0, wf.path("data").path("retries_on_failure").asInt());
    }

    @Test
    void workflowStepsAreTemplatesInOrder() {
        JsonNode ds = datastore("TEMPLATE");
        String wfId = ok(api.post("/api/1/datastore/" + ds.get("id").asText() + "/workflow",
                body(Map.of("name", "steps")))).results().get("id").asText();
        Exchange created = ok(api.post("/api/1/workflow/" + wfId + "/action", List.of(
                body(Map.of("name", "one", "action_type_name", "noop")),
                body(Map.of("name", "two", "action_type_name", "load", "args", Map.of("dataset_id", "X"))))));
        JsonNode actions = created.results();
        assertEquals(2, actions.size());
        for (int i = 0; i < 2; i++) {
            JsonNode a = actions.get(i).get("data");
            assertEquals("TEMPLATE", a.get("state").asText());
            assertTrue(a.get("datastore_id").isNull(), "a workflow step has no datastore of its own");
            assertEquals(wfId, a.get("workflow_id").asText());
            assertEquals(engine, a.get("engine_name").asText());
            assertEquals(i, a.get("order_idx").asInt());
            assertEquals("DEACTIVATE", a.get("on_failure").asText());
        }
        assertEquals("append", actions.get(1).path("data").path("args").path("mode").asText(),
                "action args get the action type's defaults");
        var listed = ok(api.get("/api/1/action", Map.of("workflow_id", wfId, "order_by", "[\"order_idx DESC\"]"))).json();
        assertEquals(2, listed.get("total").asInt());
        assertEquals("two", listed.get("results").get(0).path("data").path("name").asText());
    }

    @Test
    void adHocActionsOnADatastore() {
        // INACTIVE, so that the platform does not queue the action before the test does
        JsonNode ds = datastore("INACTIVE");
        String dsId = ds.get("id").asText();
        ObjectNode single = Json.object();
        single.put("name", "adhoc");
        single.put("action_type_name", "noop");
        single.putNull("args");
        JsonNode created = ok(api.post("/api/1/datastore/" + dsId + "/action", Map.of("data", single))).results();
        JsonNode a = created.get(0).get("data");
        assertEquals("HAS_NEVER_RUN", a.get("state").asText());
        assertEquals(Json.object(), a.get("args"), "a null args becomes {}");
        assertEquals(dsId, a.get("datastore_id").asText());
        assertTrue(a.get("workflow_id").isNull());

        String actionId = created.get(0).get("id").asText();
        ObjectNode queued = a.deepCopy();
        queued.put("state", "QUEUED");
        assertEquals("QUEUED", ok(api.put("/api/1/action/" + actionId, Map.of("data", queued))).results()
                .path("data").path("state").asText());
        queued.put("state", "RUNNING");
        String msg = error(400, api.put("/api/1/action/" + actionId, Map.of("data", queued)));
        assertTrue(msg.contains("QUEUED") && msg.contains("RUNNING"), msg);

        assertEquals("OK", ok(api.delete("/api/1/datastore/" + dsId)).results().asText());
        error(404, api.get("/api/1/action/" + actionId));
    }

    @Test
    void unknownActionTypeIsRefusedNamingWhatTheEngineOffers() {
        JsonNode ds = datastore("ACTIVE");
        String msg = error(400, api.post("/api/1/datastore/" + ds.get("id").asText() + "/action",
                body(Map.of("name", "x", "action_type_name", "nope"))));
        assertTrue(msg.contains("nope") && msg.contains("load") && msg.contains("noop"), msg);
    }

    @Test
    void triggerDefaultsAndArgs() {
        ObjectNode data = Json.object();
        data.put("name", "cron-" + unique());
        data.put("trigger_type_name", "scheduled");
        data.putNull("workflow_ids");
        data.set("args", Json.object().put("cron_pattern", "0 10 * * ? *"));
        JsonNode t = ok(api.post("/api/1/trigger", Map.of("data", data))).results();
        assertEquals(Json.array(), t.path("data").path("workflow_ids"), "a null workflow_ids becomes []");
        String id = t.get("id").asText();

        ObjectNode bad = t.get("data").deepCopy();
        ((ObjectNode) bad.get("args")).put("cron_pattern", "61 * * * *");
        String msg = error(400, api.put("/api/1/trigger/" + id, Map.of("data", bad)));
        assertTrue(msg.startsWith("/data/args/cron_pattern"), msg);

        JsonNode types = ok(api.get("/api/1/trigger_type")).results();
        List<String> names = new java.util.ArrayList<>();
        types.forEach(tt -> names.add(tt.get("name").asText()));
        assertEquals(List.of("event", "scheduled", "subscription_batch", "super", "workflow_completion"), names);
    }

    @Test
    void datasetSubscriptionAndEvent() {
        String name = "sales_" + unique();
        JsonNode ds = ok(api.post("/api/1/dataset", body(Map.of("name", name, "location", "s3://bucket/sales",
                "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ","),
                "columns", List.of(Map.of("name", "id", "data_type", "BIGINT")))))).results();
        assertEquals("NONE", ds.path("data").path("compression").asText());
        assertEquals("INSERT", ds.path("data").path("load_type").asText());
        assertEquals(0, ds.path("data").path("data_format").path("num_header_rows").asInt());
        assertTrue(ds.path("data").path("columns").get(0).path("is_nullable").asBoolean());
        error(409, api.post("/api/1/dataset", body(Map.of("name", name, "location", "s3://b/x",
                "data_format", Map.of("file_format", "PARQUET", "row_format", "NONE")))));

        String datasetId = ds.get("id").asText();
        JsonNode sub = ok(api.post("/api/1/dataset/" + datasetId + "/subscription",
                body(Map.of("name", "sub", "s3_path_start_prefix_inclusive", "s3://bucket/sales/2026")))).results();
        assertEquals(datasetId, sub.path("data").path("dataset_id").asText());
        String subId = sub.get("id").asText();
        assertEquals(0, ok(api.get("/api/1/subscription/" + subId + "/elements")).json().get("total").asInt());
        assertEquals(0, ok(api.get("/api/1/subscription/" + subId + "/element_stats")).results().size());

        JsonNode event = ok(api.post("/api/1/event", body(Map.of("name", "files-landed")))).results();
        assertEquals("INACTIVE", event.path("data").path("state").asText());
        ok(api.delete("/api/1/event/" + event.get("id").asText()));

        ok(api.delete("/api/1/dataset/" + datasetId));
        error(404, api.get("/api/1/subscription/" + subId));
    }

    @Test
    void listPastTheEndIsEmptyAndTotalsCount() {
        String tag = "page-" + unique();
        for (int i = 0; i < 5; i++) {
            ok(api.post("/api/1/event", body(Map.of("name", "e" + i, "tags", List.of(tag)))));
        }
        String filters = "[\"tags = " + tag + "\"]";
        var page = ok(api.get("/api/1/event", Map.of("filters", filters, "limit", "2", "offset", "4"))).json();
        assertEquals(5, page.get("total").asInt());
        assertEquals(1, page.get("results").size());
        var past = ok(api.get("/api/1/event", Map.of("filters", filters, "limit", "2", "offset", "10"))).json();
        assertEquals(0, past.get("results").size());
        assertEquals(5, past.get("total").asInt());
    }

    @Test
    void manualRunCopiesStepsAndClonesTheTemplateDatastore() {
        JsonNode template = datastore("TEMPLATE");
        String wfId = ok(api.post("/api/1/datastore/" + template.get("id").asText() + "/workflow",
                body(Map.of("name", "run-me")))).results().get("id").asText();
        ok(api.post("/api/1/workflow/" + wfId + "/action", List.of(
                body(Map.of("name", "a", "action_type_name", "noop")),
                body(Map.of("name", "b", "action_type_name", "noop")))));
        String refusal = error(400, api.post("/api/1/workflow/" + wfId + "/do-manual-trigger", null));
        assertTrue(refusal.contains("INACTIVE"), refusal);

        JsonNode wf = ok(api.get("/api/1/workflow/" + wfId)).results();
        ObjectNode active = wf.get("data").deepCopy();
        active.put("state", "ACTIVE");
        ok(api.put("/api/1/workflow/" + wfId, Map.of("data", active)));
        assertEquals("OK", ok(api.post("/api/1/workflow/" + wfId + "/do-manual-trigger", null)).results().asText());
        error(400, api.post("/api/1/workflow/" + wfId + "/do-manual-trigger", null));

        JsonNode instances = ok(api.get("/api/1/workflow/" + wfId + "/instance")).results();
        assertEquals(1, instances.size());
        JsonNode instance = instances.get(0);
        assertEquals("QUEUED", instance.path("data").path("state").asText());
        String cloneId = instance.path("data").path("datastore_id").asText();
        assertNotEquals(template.get("id").asText(), cloneId);
        JsonNode clone = ok(api.get("/api/1/datastore/" + cloneId)).results();
        assertEquals("ACTIVE", clone.path("data").path("state").asText());
        assertEquals(template.get("id"), clone.path("data").path("workflow_datastore_id"));

        JsonNode copies = ok(api.get("/api/1/action", Map.of("workflow_instance_id", instance.get("id").asText(),
                "order_by", "[\"order_idx ASC\"]"))).results();
        assertEquals(2, copies.size());
        assertEquals("QUEUED", copies.get(0).path("data").path("state").asText());
        assertTrue(copies.get(0).path("data").path("first_in_workflow").asBoolean());
        assertEquals("HAS_NEVER_RUN", copies.get(1).path("data").path("state").asText());
        assertTrue(copies.get(1).path("data").path("last_in_workflow").asBoolean());

        ok(api.delete("/api/1/datastore/" + cloneId));
        ok(api.delete("/api/1/datastore/" + template.get("id").asText()));
        ok(api.delete("/api/1/workflow/" + wfId));
        error(404, api.get("/api/1/workflow/instance/" + instance.get("id").asText()));
        assertFalse(ok(api.get("/api/1/action", Map.of("workflow_id", wfId))).json().get("total").asInt() > 0);
    }
}

package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What clients written for the original dart do, each as such a client does it: they delete runs, post datasets
 * with every field (nulls included), post subscriptions with their model's defaults, read guesses as entities,
 * post ad-hoc actions and expect them to run, and find the run a manual trigger started.
 */
@MicronautTest
class OriginalClientTest extends ApiTestBase {
    private ApiClient api;
    private String engine;
    private ApiClient engineKey;

    @BeforeEach
    void setUp() {
        api = admin();
        engine = "orig_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        engineKey = as("engine", engine);
    }

    private String datastore(String state) {
        return ok(api.post("/api/1/datastore", body(Map.of("name", "d", "engine_name", engine, "state", state,
                "concurrency", 3)))).results().get("id").asText();
    }

    private String workflow(String datastoreId, int steps) {
        String wf = ok(api.post("/api/1/datastore/" + datastoreId + "/workflow",
                body(Map.of("name", "w", "state", "ACTIVE", "concurrency", 3)))).results().get("id").asText();
        List<Object> bodies = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            bodies.add(body(Map.of("name", "s" + i, "action_type_name", "step")));
        }
        ok(api.post("/api/1/workflow/" + wf + "/action", bodies));
        return wf;
    }

    private JsonNode poll(int waitSeconds) {
        Exchange ex = engineKey.post("/api/1/engine/" + engine + "/action/poll", Map.of("wait_seconds", waitSeconds));
        if (ex.status() == 204) {
            return null;
        }
        return ok(ex).results().get("action");
    }

    private void checkin(JsonNode action) {
        ok(engineKey.put("/api/1/engine/action/" + action.get("id").asText() + "/checkin", Map.of("state", "SUCCESS")));
    }

    private String state(String type, String id) {
        return ok(api.get("/api/1/" + type + "/" + id)).results().path("data").path("state").asText();
    }

    private void runToTheEnd(int actions) {
        for (int i = 0; i < actions; i++) {
            JsonNode a = poll(5);
            assertTrue(a != null, "action " + i + " of " + actions + " arrives");
            checkin(a);
        }
    }

    @Test
    void manualTriggerAnswersOkAndTheNewRunsId() {
        String wf = workflow(datastore("TEMPLATE"), 1);
        JsonNode answer = ok(api.post("/api/1/workflow/" + wf + "/do-manual-trigger", null)).json();
        assertEquals("OK", answer.path("results").asText());
        String runId = answer.path("workflow_instance_id").asText();
        assertEquals(wf, ok(api.get("/api/1/workflow/instance/" + runId)).results().path("data").path("workflow_id")
                .asText());
        runToTheEnd(1);
    }

    @Test
    void runsAreDeletedOneByOneOrAllOfAWorkflowWithTheirActions() {
        String wf = workflow(datastore("TEMPLATE"), 1);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(ok(api.post("/api/1/workflow/" + wf + "/do-manual-trigger", null)).json()
                    .path("workflow_instance_id").asText());
        }
        String running = runs.get(0);
        String refused = error(409, api.delete("/api/1/workflow/instance/" + running));
        assertTrue(refused.contains("cancel it first"), refused);
        error(409, api.delete("/api/1/workflow/" + wf + "/instance"));
        assertEquals(3, ok(api.get("/api/1/workflow/" + wf + "/instance")).json().path("total").asInt(),
                "a refused delete removes nothing");
        runToTheEnd(3);

        ok(api.delete("/api/1/workflow/instance/" + runs.get(0)));
        error(404, api.get("/api/1/workflow/instance/" + runs.get(0)));
        assertEquals(0, ok(api.get("/api/1/action", Map.of("workflow_instance_id", runs.get(0)))).json()
                .path("total").asInt());

        ok(api.delete("/api/1/workflow/" + wf + "/instance"));
        assertEquals(0, ok(api.get("/api/1/workflow/" + wf + "/instance")).json().path("total").asInt());
        assertEquals(0, ok(api.get("/api/1/action", Map.of("workflow_instance_id", runs.get(2)))).json()
                .path("total").asInt());
        assertEquals("ACTIVE", state("workflow", wf), "the workflow itself stays");
        ok(api.delete("/api/1/workflow/" + wf + "/instance"));
        error(404, api.delete("/api/1/workflow/NOSUCHWF/instance"));
        error(404, api.delete("/api/1/workflow/instance/NOSUCHRUN"));
    }

    @Test
    void aDelimitedDatasetMayLeaveItsDelimiterNull() {
        Map<String, Object> format = new HashMap<>();
        format.put("file_format", "TEXTFILE");
        format.put("row_format", "DELIMITED");
        format.put("delimited_by", null);
        format.put("quoted_by", null);
        format.put("escaped_by", null);
        format.put("null_string", null);
        format.put("num_header_rows", 1);
        JsonNode ds = ok(api.post("/api/1/dataset", body(Map.of("name", "nulls_" + unique(),
                "location", "s3://landing/x", "data_format", format)))).results();
        assertTrue(ds.path("data").path("data_format").get("delimited_by").isNull(), "null is echoed as sent");
    }

    @Test
    void aSubscriptionPostedInactiveStartsQueued() {
        String dataset = ok(api.post("/api/1/dataset", body(Map.of("name", "subs_" + unique(),
                "location", "s3://landing/y", "data_format", Map.of("file_format", "TEXTFILE", "row_format", "JSON")))))
                .results().get("id").asText();
        JsonNode sub = ok(api.post("/api/1/dataset/" + dataset + "/subscription",
                body(Map.of("name", "s", "state", "INACTIVE")))).results();
        assertEquals("QUEUED", sub.path("data").path("state").asText());
        JsonNode paused = ok(api.patch("/api/1/subscription/" + sub.get("id").asText(), List.of(Map.of("op",
                "replace", "path", "/data/state", "value", "INACTIVE")))).results();
        assertEquals("INACTIVE", paused.path("data").path("state").asText(), "a client pauses it after creating it");
    }

    @Test
    void adHocActionsRunOneAtATimePerActiveDatastoreInOrder() {
        String ds = datastore("ACTIVE");
        List<Object> bodies = new ArrayList<>();
        for (String name : List.of("second", "first", "third")) {
            Map<String, Object> a = new HashMap<>(Map.of("name", name, "action_type_name", "step",
                    "order_idx", name.equals("first") ? 1 : name.equals("second") ? 2 : 3));
            bodies.add(body(a));
        }
        ok(api.post("/api/1/datastore/" + ds + "/action", bodies));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode a = poll(5);
            assertTrue(a != null, "ad-hoc action " + i + " is queued by the platform");
            order.add(a.path("data").path("name").asText());
            assertEquals(null, poll(0), "one ad-hoc action at a time on a datastore");
            checkin(a);
        }
        assertEquals(List.of("first", "second", "third"), order);
    }

    @Test
    void adHocActionsWaitForTheirDatastoreToBecomeActive() {
        String ds = datastore("INACTIVE");
        String id = ok(api.post("/api/1/datastore/" + ds + "/action",
                body(Map.of("name", "later", "action_type_name", "step", "state", "QUEUED")))).results().get(0)
                .get("id").asText();
        assertEquals("HAS_NEVER_RUN", state("action", id), "it waits while the datastore is INACTIVE");
        assertEquals(null, poll(0));
        ok(api.patch("/api/1/datastore/" + ds, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "ACTIVE"))));
        JsonNode a = poll(5);
        assertEquals(id, a.get("id").asText(), "the datastore becoming ACTIVE starts it");
        checkin(a);
        assertEquals("COMPLETED", state("action", id));
        ok(api.patch("/api/1/action/" + id, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "QUEUED"))));
        JsonNode again = poll(5);
        assertEquals(id, again.get("id").asText(), "a client may still queue one again to re-run it");
        checkin(again);
    }

    @Test
    void anActionQueuedByAPatchWakesAWaitingPoll() throws Exception {
        String ds = datastore("INACTIVE");
        String id = ok(api.post("/api/1/datastore/" + ds + "/action",
                body(Map.of("name", "woken", "action_type_name", "step")))).results().get(0).get("id").asText();
        ok(api.patch("/api/1/datastore/" + ds, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "ACTIVE"))));
        checkin(poll(5));
        CompletableFuture<JsonNode> parked = CompletableFuture.supplyAsync(() -> poll(20));
        // the poll parks on its LISTEN before the PATCH commits; it must not wait for its 5 s recheck
        Thread.sleep(500);
        long start = System.nanoTime();
        ok(api.patch("/api/1/action/" + id, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "QUEUED"))));
        JsonNode woken = parked.get(20, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(id, woken.get("id").asText());
        assertTrue(ms < 2_000, "the poll answered " + ms + " ms after the PATCH; its recheck is at 5 s");
        checkin(woken);
    }
}

package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkout and checkin as engines use them (the engine worker's QUEUED -> PENDING is simulated in SQL here), and the
 * batched check-in of pull-mode workers.
 */
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
    void anAttemptCountedLostCanNeitherHeartbeatNorCheckTheNextAttemptIn() throws Exception {
        JsonNode action = pendingFirstAction();
        String id = action.get("id").asText();
        String heartbeat = "/api/1/engine/action/" + id + "/heartbeat";
        String checkin = "/api/1/engine/action/" + id + "/checkin";
        int lost = ok(engineKey.put("/api/1/engine/action/" + id + "/checkout", null)).results().path("attempt").asInt();
        ok(engineKey.put(heartbeat, Map.of("attempt", lost)));
        // the platform counts that attempt lost and hands the action out again, to another of the engine's workers
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "UPDATE action SET data = jsonb_set(data, '{state}', '\"PENDING\"') WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        int current = ok(engineKey.put("/api/1/engine/action/" + id + "/checkout", null)).results().path("attempt").asInt();
        assertEquals(lost + 1, current);

        String beat = error(409, engineKey.put(heartbeat, Map.of("attempt", lost)));
        assertTrue(beat.contains("attempt " + current + ", not " + lost), beat);
        String late = error(409, engineKey.put(checkin, Map.of("state", "FAILURE", "attempt", lost)));
        assertTrue(late.contains("counted lost"), late);
        JsonNode batch = ok(engineKey.post("/api/1/engine/" + engine + "/action/checkins", Map.of("checkins",
                List.of(Map.of("action_id", id, "state", "SUCCESS", "attempt", lost))))).json();
        assertEquals(409, batch.path("results").path(0).path("status").asInt(), batch::toString);
        assertEquals("RUNNING", stateOf(id), "the current attempt is untouched");

        ok(engineKey.put(heartbeat, Map.of("attempt", current)));
        ok(engineKey.put(heartbeat, null)); // an engine written for the original names no attempt
        error(400, engineKey.put(heartbeat, Map.of("attempt", 0)));
        error(400, engineKey.put(checkin, Map.of("state", "SUCCESS", "attempt", "one")));
        ok(engineKey.put(checkin, Map.of("state", "SUCCESS", "attempt", current)));
        assertEquals("COMPLETED", stateOf(id));
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

    // ---- batched check-in

    /** A pull-mode engine of its own, its key, and a workflow of {@code steps} on a TEMPLATE datastore. */
    private record Pull(String engine, ApiClient key, String workflowId) {
        Exchange batch(List<?> checkins, int max) {
            return key.post("/api/1/engine/" + engine + "/action/checkins", Map.of("checkins", checkins, "max", max));
        }
    }

    private Pull pull(int datastoreConcurrency, List<Map<String, Object>> steps) {
        String name = "batch_engine_" + unique();
        registerEngine(name, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        String ds = ok(api.post("/api/1/datastore", body(Map.of("name", "b", "engine_name", name, "state", "TEMPLATE",
                "concurrency", datastoreConcurrency)))).results().get("id").asText();
        String wf = ok(api.post("/api/1/datastore/" + ds + "/workflow", body(Map.of("name", "b", "state", "ACTIVE",
                "concurrency", 10)))).results().get("id").asText();
        ok(api.post("/api/1/workflow/" + wf + "/action", steps.stream().map(s -> {
            Map<String, Object> step = new HashMap<>(s);
            step.put("action_type_name", "step");
            return body(step);
        }).toList()));
        return new Pull(name, as("engine", name), wf);
    }

    private void runs(Pull p, int times) {
        for (int i = 0; i < times; i++) {
            ok(api.post("/api/1/workflow/" + p.workflowId() + "/do-manual-trigger", null));
        }
    }

    private static List<String> ids(JsonNode next) {
        List<String> out = new ArrayList<>();
        next.forEach(w -> out.add(w.path("action").get("id").asText()));
        return out;
    }

    private static Map<String, Object> outcome(String actionId, String state) {
        return Map.of("action_id", actionId, "state", state);
    }

    private String stateOf(String actionId) {
        return ok(api.get("/api/1/action/" + actionId)).results().path("data").path("state").asText();
    }

    @Test
    void aBatchCheckinAppliesEachOutcomeOnItsOwnAndTakesTheNextActions() {
        Pull p = pull(1, List.of(Map.of("name", "only")));
        runs(p, 4);
        JsonNode first = ok(p.batch(List.of(), 3)).json();
        assertEquals(0, first.get("results").size());
        List<String> taken = ids(first.get("next"));
        assertEquals(3, new HashSet<>(taken).size(), "three actions, each once");
        first.get("next").forEach(w -> {
            assertEquals("RUNNING", w.path("action").path("data").path("state").asText());
            assertEquals(p.engine(), w.path("engine").path("data").path("name").asText());
            assertEquals("ACTIVE", w.path("datastore").path("data").path("state").asText());
        });

        JsonNode second = ok(p.batch(List.of(outcome(taken.get(0), "SUCCESS"),
                Map.of("action_id", taken.get(1), "state", "FAILURE", "error_message", "boom"),
                outcome("NOSUCHACTION", "SUCCESS")), 3)).json();
        assertEquals(List.of("OK", "OK", "ERROR"), second.get("results").findValuesAsText("results"));
        assertEquals(404, second.get("results").get(2).get("status").asInt());
        assertEquals("NOSUCHACTION", second.get("results").get(2).get("action_id").asText());
        List<String> last = ids(second.get("next"));
        assertEquals(1, last.size(), "the fourth run's action is all that is left");

        JsonNode third = ok(p.batch(List.of(outcome(taken.get(0), "SUCCESS"), outcome(taken.get(2), "SUCCESS"),
                outcome(last.get(0), "SUCCESS")), 0)).json();
        JsonNode refused = third.get("results").get(0);
        assertEquals("ERROR", refused.get("results").asText());
        assertEquals(400, refused.get("status").asInt());
        assertTrue(refused.get("error_message").asText().contains("COMPLETED"), refused::toString);
        assertEquals("OK", third.get("results").get(1).get("results").asText(), "a refusal leaves the others applied");
        assertEquals(0, third.get("next").size());

        assertEquals("COMPLETED", stateOf(taken.get(0)));
        assertEquals("FAILED", stateOf(taken.get(1)));
        assertEquals("boom", ok(api.get("/api/1/action/" + taken.get(1))).results().path("data")
                .path("error_message").asText());
        assertEquals("COMPLETED", stateOf(last.get(0)));
        JsonNode instances = ok(api.get("/api/1/workflow/" + p.workflowId() + "/instance")).results();
        List<String> runStates = new ArrayList<>(instances.findValuesAsText("state"));
        Collections.sort(runStates);
        assertEquals(List.of("COMPLETED", "COMPLETED", "COMPLETED", "FAILED"), runStates);
    }

    @Test
    void batchClaimsKeepDatastoreConcurrencyAndHandEachActionOutOnce() throws Exception {
        Pull p = pull(2, List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c"),
                Map.of("name", "join", "depends_on", List.of("a", "b", "c"))));
        runs(p, 3);
        // nine steps could start, but each run's datastore runs two at a time
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<JsonNode>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                claims.add(pool.submit(() -> ok(p.batch(List.of(), 5)).json().get("next")));
            }
            List<JsonNode> taken = new ArrayList<>();
            for (Future<JsonNode> f : claims) {
                f.get().forEach(taken::add);
            }
            assertEquals(6, taken.size());
            assertEquals(6, new HashSet<>(ids(Json.array().addAll(taken))).size(), "no action handed out twice");
            Map<String, Integer> perRun = new HashMap<>();
            taken.forEach(w -> perRun.merge(w.path("action").path("data").path("workflow_instance_id").asText(), 1,
                    Integer::sum));
            assertEquals(List.of(2, 2, 2), List.copyOf(perRun.values()), "two actions of each run at once");

            // checking them in frees the slots: the same request takes the three steps that were waiting
            List<Map<String, Object>> done = ids(Json.array().addAll(taken)).stream()
                    .map(id -> outcome(id, "SUCCESS")).toList();
            JsonNode after = ok(p.batch(done, 10)).json();
            assertEquals(3, after.get("next").size());
            after.get("next").forEach(w -> assertTrue(List.of("a", "b", "c")
                    .contains(w.path("action").path("data").path("name").asText())));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchPollWaitsForWork() throws Exception {
        Pull p = pull(1, List.of(Map.of("name", "only")));
        CompletableFuture<Exchange> waiting = CompletableFuture.supplyAsync(() -> p.key().post(
                "/api/1/engine/" + p.engine() + "/action/checkins", Map.of("max", 2, "wait_seconds", 30)));
        long start = System.nanoTime();
        runs(p, 1);
        JsonNode next = ok(waiting.get()).json().get("next");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(next.size() == 1 && millis < 10_000, "answered after " + millis + " ms: " + next);
        JsonNode empty = ok(p.key().post("/api/1/engine/" + p.engine() + "/action/checkins",
                Map.of("max", 1, "wait_seconds", 0))).json();
        assertEquals(0, empty.get("next").size());
    }

    @Test
    void aBatchIsRefusedWholeWhenItIsMalformedOrNotTheKeysEngine() {
        Pull p = pull(1, List.of(Map.of("name", "only")));
        String route = "/api/1/engine/" + p.engine() + "/action/checkins";
        assertTrue(error(400, p.key().post(route, Map.of("checkins", List.of(Map.of("state", "SUCCESS")))))
                .startsWith("/checkins/0/action_id:"));
        assertTrue(error(400, p.key().post(route, Map.of("checkins", List.of(outcome("A", "SUCCESS"),
                outcome("B", "MAYBE"))))).startsWith("/checkins/1/state:"));
        assertTrue(error(400, p.key().post(route, Map.of("checkins", List.of(outcome("A", "SUCCESS"),
                outcome("A", "FAILURE"))))).contains("twice"));
        assertTrue(error(400, p.key().post(route, Map.of("checkins", Map.of()))).startsWith("/checkins:"));
        assertTrue(error(400, p.key().post(route, Map.of("max", 101))).startsWith("/max:"));
        assertTrue(error(400, p.key().post(route, Map.of("max", 1, "wait_seconds", 51))).startsWith("/wait_seconds:"));
        error(400, p.key().post(route, List.of()));

        Pull other = pull(1, List.of(Map.of("name", "only")));
        error(403, other.key().post(route, Map.of("max", 1)));
        error(403, as("editor").post(route, Map.of("max", 1)));
        runs(other, 1);
        String theirs = ids(ok(other.batch(List.of(), 1)).json().get("next")).get(0);
        JsonNode refused = ok(admin().post(route, Map.of("checkins", List.of(outcome(theirs, "SUCCESS")))))
                .json().get("results").get(0);
        assertEquals(403, refused.get("status").asInt(), "an action checked in under another engine's name");
        assertEquals("RUNNING", stateOf(theirs));
    }
}

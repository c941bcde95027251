package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs driven by a pull-mode engine over HTTP: the order of steps, parallel branches, failure policies, retries,
 * resume and cancel. The engine here is the test itself, polling and checking in as any engine would.
 */
@MicronautTest
class ExecutionTest extends ApiTestBase {

    /** A fresh engine, its key, and a workflow on a TEMPLATE datastore of that engine. */
    private record Setup(String engine, ApiClient engineKey, String workflowId) {
    }

    private Setup setup(int concurrency, Map<String, Object> workflowExtra, List<Map<String, Object>> steps) {
        ApiClient api = admin();
        String engine = "exec_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        String ds = ok(api.post("/api/1/datastore", body(Map.of("name", "d", "engine_name", engine,
                "state", "TEMPLATE", "concurrency", concurrency)))).results().get("id").asText();
        Map<String, Object> wf = new HashMap<>(Map.of("name", "w", "state", "ACTIVE"));
        wf.putAll(workflowExtra);
        String wfId = ok(api.post("/api/1/datastore/" + ds + "/workflow", body(wf))).results().get("id").asText();
        List<Object> bodies = new ArrayList<>();
        for (Map<String, Object> s : steps) {
            Map<String, Object> step = new HashMap<>(Map.of("action_type_name", "step"));
            step.putAll(s);
            bodies.add(body(step));
        }
        ok(api.post("/api/1/workflow/" + wfId + "/action", bodies));
        return new Setup(engine, as("engine", engine), wfId);
    }

    private static Map<String, Object> step(String name, Object... more) {
        Map<String, Object> m = new HashMap<>(Map.of("name", name));
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    private String run(Setup s) {
        ok(admin().post("/api/1/workflow/" + s.workflowId() + "/do-manual-trigger", null));
        return ok(admin().get("/api/1/workflow/" + s.workflowId() + "/instance",
                Map.of("order_by", "[\"created DESC\"]", "limit", "1"))).results().get(0).get("id").asText();
    }

    /** Takes the next action (already RUNNING); null when none comes within {@code waitSeconds}. */
    private static JsonNode poll(Setup s, int waitSeconds) {
        Exchange ex = s.engineKey().post("/api/1/engine/" + s.engine() + "/action/poll", Map.of("wait_seconds", waitSeconds));
        if (ex.status() == 204) {
            return null;
        }
        assertEquals(200, ex.status(), ex.responseBody());
        assertEquals("RUNNING", ex.results().path("action").path("data").path("state").asText());
        return ex.results().get("action");
    }

    private static void checkin(Setup s, JsonNode action, boolean success) {
        ok(s.engineKey().put("/api/1/engine/action/" + action.get("id").asText() + "/checkin",
                success ? Map.of("state", "SUCCESS") : Map.of("state", "FAILURE", "error_message", "boom")));
    }

    private JsonNode instance(String id) {
        return ok(admin().get("/api/1/workflow/instance/" + id)).results();
    }

    private Map<String, String> states(String instanceId) {
        Map<String, String> out = new HashMap<>();
        ok(admin().get("/api/1/action", Map.of("workflow_instance_id", instanceId, "limit", "100"))).results()
                .forEach(a -> out.put(a.path("data").path("name").asText(), a.path("data").path("state").asText()));
        return out;
    }

    @Test
    void stepsRunOneAfterTheOtherInOrder() {
        Setup s = setup(1, Map.of(), List.of(step("a"), step("b"), step("c")));
        String id = run(s);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode a = poll(s, 5);
            order.add(a.path("data").path("name").asText());
            assertEquals(null, poll(s, 0), "the next step is not queued before this one is checked in");
            checkin(s, a, true);
        }
        assertEquals(List.of("a", "b", "c"), order);
        assertEquals("COMPLETED", instance(id).path("data").path("state").asText());
        assertEquals(Map.of("a", "COMPLETED", "b", "COMPLETED", "c", "COMPLETED"), states(id));
    }

    @Test
    void aCheckinCanTakeTheNextActionInTheSameRequest() {
        Setup s = setup(1, Map.of(), List.of(step("a"), step("b")));
        String id = run(s);
        JsonNode a = poll(s, 5);
        Exchange first = ok(s.engineKey().put("/api/1/engine/action/" + a.get("id").asText() + "/checkin",
                Map.of("state", "SUCCESS", "poll", Map.of("wait_seconds", 0))));
        JsonNode b = first.json().path("next").path("action");
        assertEquals("b", b.path("data").path("name").asText(), "the next step comes with the check-in");
        assertEquals("RUNNING", b.path("data").path("state").asText());
        Exchange last = ok(s.engineKey().put("/api/1/engine/action/" + b.get("id").asText() + "/checkin",
                Map.of("state", "SUCCESS", "poll", Map.of())));
        assertTrue(last.json().get("next").isNull(), "nothing left to take");
        assertEquals("COMPLETED", instance(id).path("data").path("state").asText());
        error(400, s.engineKey().put("/api/1/engine/action/" + b.get("id").asText() + "/checkin",
                Map.of("state", "SUCCESS", "poll", Map.of("wait_seconds", 99))));
    }

    @Test
    void independentStepsRunInParallelAndJoin() {
        Setup s = setup(2, Map.of(), List.of(step("extract_a"), step("extract_b"),
                step("join", "depends_on", List.of("extract_a", "extract_b"))));
        String id = run(s);
        JsonNode first = poll(s, 5);
        JsonNode second = poll(s, 5);
        assertTrue(first != null && second != null, "both branches run at once");
        assertEquals(null, poll(s, 0), "the join waits for both branches");
        checkin(s, first, true);
        assertEquals(null, poll(s, 0), "the join still waits for the second branch");
        checkin(s, second, true);
        JsonNode join = poll(s, 5);
        assertEquals("join", join.path("data").path("name").asText());
        checkin(s, join, true);
        assertEquals("COMPLETED", instance(id).path("data").path("state").asText());
    }

    @Test
    void datastoreConcurrencyLimitsParallelBranches() {
        Setup s = setup(1, Map.of(), List.of(step("x"), step("y"), step("z", "depends_on", List.of("x"))));
        run(s);
        JsonNode first = poll(s, 5);
        assertEquals(null, poll(s, 0), "a datastore of concurrency 1 runs one action at a time");
        checkin(s, first, true);
        assertTrue(poll(s, 5) != null);
    }

    @Test
    void haltFailsTheRunAndSkipsTheRest() {
        Setup s = setup(1, Map.of(), List.of(step("a", "on_failure", "HALT"), step("b")));
        String id = run(s);
        checkin(s, poll(s, 5), false);
        JsonNode inst = instance(id);
        assertEquals("FAILED", inst.path("data").path("state").asText());
        assertTrue(inst.path("data").path("error_message").asText().contains("boom"));
        assertEquals(Map.of("a", "FAILED", "b", "SKIPPED"), states(id));
        assertEquals("ACTIVE", ok(admin().get("/api/1/workflow/" + s.workflowId())).results()
                .path("data").path("state").asText(), "HALT leaves the workflow active");
    }

    @Test
    void deactivateFailsTheRunAndDeactivatesTheWorkflow() {
        Setup s = setup(1, Map.of(), List.of(step("a"), step("b")));
        String id = run(s);
        checkin(s, poll(s, 5), false);
        assertEquals("FAILED", instance(id).path("data").path("state").asText());
        assertEquals("INACTIVE", ok(admin().get("/api/1/workflow/" + s.workflowId())).results()
                .path("data").path("state").asText());
    }

    @Test
    void continueTreatsTheFailureAsDone() {
        Setup s = setup(1, Map.of(), List.of(step("a", "on_failure", "CONTINUE"), step("b")));
        String id = run(s);
        checkin(s, poll(s, 5), false);
        checkin(s, poll(s, 5), true);
        assertEquals("COMPLETED", instance(id).path("data").path("state").asText());
        assertEquals(Map.of("a", "FAILED", "b", "COMPLETED"), states(id));
    }

    @Test
    void aFailedAttemptIsRetriedUntilSuccess() {
        Setup s = setup(1, Map.of(), List.of(step("flaky", "retries", 2, "retry_delay_seconds", 0)));
        String id = run(s);
        checkin(s, poll(s, 5), false);
        JsonNode retried = poll(s, 5);
        assertEquals(1, retried.path("data").path("attempt").asInt());
        checkin(s, retried, true);
        assertEquals("COMPLETED", instance(id).path("data").path("state").asText());
    }

    @Test
    void retriesRunOut() {
        Setup s = setup(1, Map.of(), List.of(step("bad", "retries", 1, "retry_delay_seconds", 0, "on_failure", "HALT")));
        String id = run(s);
        checkin(s, poll(s, 5), false);
        checkin(s, poll(s, 5), false);
        assertEquals("FAILED", instance(id).path("data").path("state").asText());
        assertEquals(Map.of("bad", "FAILED"), states(id));
    }

    @Test
    void resumeRunsTheFailedStepsOnly() {
        Setup s = setup(1, Map.of(), List.of(step("a"), step("b", "on_failure", "HALT"), step("c")));
        String id = run(s);
        JsonNode a = poll(s, 5);
        checkin(s, a, true);
        checkin(s, poll(s, 5), false);
        assertEquals("FAILED", instance(id).path("data").path("state").asText());
        assertEquals("RUNNING", ok(admin().post("/api/1/workflow/instance/" + id + "/resume", null)).results()
                .path("data").path("state").asText());
        JsonNode b = poll(s, 5);
        assertEquals("b", b.path("data").path("name").asText(), "the completed step is not run again");
        checkin(s, b, true);
        checkin(s, poll(s, 5), true);
        assertEquals("COMPLETED", instance(id).path("data").path("state").asText());
        assertEquals(a.path("data").path("start_time"), ok(admin().get("/api/1/action/" + a.get("id").asText()))
                .results().path("data").path("start_time"));
        error(409, admin().post("/api/1/workflow/instance/" + id + "/resume", null));
    }

    @Test
    void cancelStopsARun() {
        Setup s = setup(1, Map.of(), List.of(step("a"), step("b")));
        String id = run(s);
        JsonNode a = poll(s, 5);
        assertEquals("CANCELLED", ok(admin().post("/api/1/workflow/instance/" + id + "/cancel", null)).results()
                .path("data").path("state").asText());
        assertEquals(Map.of("a", "FAILED", "b", "SKIPPED"), states(id));
        error(400, s.engineKey().put("/api/1/engine/action/" + a.get("id").asText() + "/checkin",
                Map.of("state", "SUCCESS")));
        error(409, admin().post("/api/1/workflow/instance/" + id + "/cancel", null));
    }

    @Test
    void aWaitingPollIsAnsweredAsSoonAsWorkIsQueued() throws Exception {
        Setup s = setup(1, Map.of(), List.of(step("a")));
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> poll(s, 30));
        long start = System.nanoTime();
        run(s);
        JsonNode got = waiting.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(got != null && millis < 10_000, "answered after " + millis + " ms");
        ok(s.engineKey().put("/api/1/engine/action/" + got.get("id").asText() + "/heartbeat", null));
        checkin(s, got, true);
        error(400, s.engineKey().put("/api/1/engine/action/" + got.get("id").asText() + "/heartbeat", null));
    }

    @Test
    void runParametersReachTheEngine() {
        Setup s = setup(1, Map.of(), List.of(step("a")));
        ok(admin().post("/api/1/workflow/" + s.workflowId() + "/do-manual-trigger",
                Map.of("parameters", Map.of("day", "2026-11-22"))));
        Exchange ex = s.engineKey().post("/api/1/engine/" + s.engine() + "/action/poll", Map.of("wait_seconds", 5));
        assertEquals("2026-11-22", ex.results().path("parameters").path("day").asText());
    }

    @Test
    void anEngineKeyPollsOnlyForItsEngine() {
        Setup s = setup(1, Map.of(), List.of(step("a")));
        Setup other = setup(1, Map.of(), List.of(step("a")));
        error(403, other.engineKey().post("/api/1/engine/" + s.engine() + "/action/poll", Map.of("wait_seconds", 0)));
        error(400, s.engineKey().post("/api/1/engine/" + s.engine() + "/action/poll", Map.of("wait_seconds", 99)));
    }
}

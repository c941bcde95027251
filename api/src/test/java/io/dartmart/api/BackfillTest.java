package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.dartmart.triggers.backfill.BackfillRunner;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backfills of a daily trigger: their ranges and dry runs, reprocess modes, max active runs, one run per point even
 * with overlapping backfills advanced by several workers at once, and cancel. The test is the engine, and calls the
 * trigger workers' backfill pass itself.
 */
@MicronautTest
class BackfillTest extends ApiTestBase {
    private static final String DAILY = "0 0 * * ? *";

    @Inject
    BackfillRunner runner;

    private record Setup(String engine, ApiClient engineKey, String workflowId, String triggerId) {
    }

    /** A daily trigger of a workflow whose one step has the data interval in its args. */
    private Setup setup() {
        ApiClient api = admin();
        String engine = "bf_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        String wf = workflowOnTemplate(engine, Map.of("name", "w", "state", "ACTIVE"));
        ok(api.post("/api/1/workflow/" + wf + "/action", body(Map.of("name", "s", "action_type_name", "step",
                "on_failure", "HALT", "args", Map.of("day", "{{ ds }}", "interval", "{{ data_interval_start }}/{{ data_interval_end }}")))));
        String trigger = ok(api.post("/api/1/trigger", body(Map.of("name", "daily", "trigger_type_name", "scheduled",
                "workflow_ids", List.of(wf), "args", Map.of("cron_pattern", DAILY), "state", "ACTIVE"))))
                .results().get("id").asText();
        return new Setup(engine, as("engine", engine), wf, trigger);
    }

    private Exchange backfill(Setup s, Object body) {
        return admin().post("/api/1/trigger/" + s.triggerId() + "/backfill", body);
    }

    private static Map<String, Object> range(String start, String end, Object... more) {
        Map<String, Object> m = new HashMap<>(Map.of("start", start, "end", end));
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    private JsonNode progress(String backfillId) {
        return ok(admin().get("/api/1/backfill/" + backfillId)).results();
    }

    /** Runs every queued action of the engine, failing those whose {@code day} arg matches; answers the days run. */
    private static List<String> work(Setup s, Predicate<String> fails) {
        List<String> days = new ArrayList<>();
        while (true) {
            Exchange ex = s.engineKey().post("/api/1/engine/" + s.engine() + "/action/poll", Map.of("wait_seconds", 0));
            if (ex.status() == 204) {
                return days;
            }
            JsonNode action = ok(ex).results().get("action");
            String day = action.path("data").path("args").path("day").asText();
            days.add(day);
            ok(s.engineKey().put("/api/1/engine/action/" + action.get("id").asText() + "/checkin",
                    fails.test(day) ? Map.of("state", "FAILURE", "error_message", "boom") : Map.of("state", "SUCCESS")));
        }
    }

    /** Advances and works until the backfill is no longer RUNNING. */
    private JsonNode finish(Setup s, String backfillId, Predicate<String> fails) {
        for (int i = 0; i < 50; i++) {
            runner.advanceAll();
            work(s, fails);
            JsonNode p = progress(backfillId);
            if (!"RUNNING".equals(p.get("state").asText())) {
                return p;
            }
        }
        throw new AssertionError("backfill " + backfillId + " did not finish: " + progress(backfillId));
    }

    /** How many runs the workflow has of each schedule point. */
    private static Map<String, Integer> runsPerPoint(String workflowId) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("SELECT data ->> 'schedule_point'"
                + " FROM workflow_instance WHERE workflow_id = ?")) {
            ps.setString(1, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.merge(rs.getString(1).substring(0, 10), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    @Test
    void aDryRunAnswersTheSchedulePointsAndCreatesNothing() throws Exception {
        Setup s = setup();
        JsonNode dry = ok(backfill(s, range("2026-01-01", "2026-01-05T12:00:00Z", "dry_run", true))).results();
        assertEquals(5, dry.get("count").asInt());
        assertEquals("2026-01-01T00:00:00.000000+00:00", dry.get("points").get(0).get("data_interval_start").asText());
        assertEquals("2026-01-02T00:00:00.000000+00:00", dry.get("points").get(0).get("data_interval_end").asText());
        assertEquals("2026-01-05T00:00:00.000000+00:00", dry.get("points").get(4).get("data_interval_start").asText());
        runner.advanceAll();
        assertTrue(runsPerPoint(s.workflowId()).isEmpty());
    }

    @Test
    void eachPointRunsOnceWithItsDataIntervalWithinMaxActiveRuns() {
        Setup s = setup();
        JsonNode b = ok(backfill(s, range("2026-01-01", "2026-01-05", "max_active_runs", 2))).results();
        assertEquals("RUNNING", b.get("state").asText());
        assertEquals(5, b.get("progress").get("pending").asInt());
        runner.advanceAll();
        runner.advanceAll();
        JsonNode p = progress(b.get("id").asText());
        assertEquals(2, p.get("progress").get("running").asInt(), p.toString());
        assertEquals(3, p.get("progress").get("pending").asInt(), p.toString());
        JsonNode run = ok(admin().get("/api/1/workflow/" + s.workflowId() + "/instance",
                Map.of("order_by", "[\"created\"]"))).results().get(0).get("data");
        assertEquals("2026-01-01T00:00:00.000000+00:00", run.get("data_interval_start").asText());
        assertEquals("2026-01-02T00:00:00.000000+00:00", run.get("data_interval_end").asText());
        assertEquals(b.get("id").asText(), run.get("backfill_id").asText());
        List<String> days = work(s, d -> false).stream().sorted().toList();
        JsonNode done = finish(s, b.get("id").asText(), d -> false);
        assertEquals("COMPLETED", done.get("state").asText());
        assertEquals(5, done.get("progress").get("completed").asInt());
        JsonNode action = ok(admin().get("/api/1/action", Map.of("workflow_id", s.workflowId(),
                "filters", "[\"state = COMPLETED\"]", "order_by", "[\"created\"]"))).results().get(0);
        assertEquals("2026-01-01T00:00:00Z/2026-01-02T00:00:00Z",
                action.get("data").get("args").get("interval").asText(), "the templates saw the point's interval");
        assertEquals(List.of("2026-01-01", "2026-01-02"), days);
    }

    @Test
    void reprocessModesChooseWhichPointsRunAgain() {
        Setup s = setup();
        String first = ok(backfill(s, range("2026-02-01", "2026-02-03", "max_active_runs", 3))).results()
                .get("id").asText();
        JsonNode p = finish(s, first, "2026-02-02"::equals).get("progress");
        assertEquals(2, p.get("completed").asInt());
        assertEquals(1, p.get("failed").asInt());

        String none = ok(backfill(s, range("2026-02-01", "2026-02-03"))).results().get("id").asText();
        assertEquals(3, finish(s, none, d -> false).get("progress").get("skipped").asInt());

        String failed = ok(backfill(s, range("2026-02-01", "2026-02-03", "reprocess", "failed"))).results()
                .get("id").asText();
        runner.advanceAll();
        assertEquals(List.of("2026-02-02"), work(s, d -> false));
        p = finish(s, failed, d -> false).get("progress");
        assertEquals(1, p.get("completed").asInt());
        assertEquals(2, p.get("skipped").asInt());

        String all = ok(backfill(s, range("2026-02-01", "2026-02-03", "reprocess", "all", "max_active_runs", 3)))
                .results().get("id").asText();
        runner.advanceAll();
        assertEquals(List.of("2026-02-01", "2026-02-02", "2026-02-03"), work(s, d -> false).stream().sorted().toList());
        assertEquals(3, finish(s, all, d -> false).get("progress").get("completed").asInt());
    }

    @Test
    void overlappingBackfillsAdvancedByWorkersAtOnceRunEachPointOnce() throws Exception {
        Setup s = setup();
        List<CompletableFuture<Exchange>> asks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            asks.add(CompletableFuture.supplyAsync(() -> backfill(s, range("2026-03-01", "2026-03-06",
                    "max_active_runs", 6))));
        }
        List<String> ids = asks.stream().map(f -> ok(f.join()).results().get("id").asText()).toList();
        for (int round = 0; round < 10; round++) {
            List<CompletableFuture<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                workers.add(CompletableFuture.supplyAsync(runner::advanceAll));
            }
            workers.forEach(CompletableFuture::join);
            assertTrue(runsPerPoint(s.workflowId()).values().stream().allMatch(n -> n == 1),
                    runsPerPoint(s.workflowId()).toString());
            work(s, d -> false);
        }
        assertEquals(6, runsPerPoint(s.workflowId()).size());
        for (String id : ids) {
            JsonNode p = progress(id);
            assertEquals("COMPLETED", p.get("state").asText(), p.toString());
        }
        JsonNode a = progress(ids.get(0)).get("progress");
        JsonNode b = progress(ids.get(1)).get("progress");
        assertEquals(6, a.get("completed").asInt() + b.get("completed").asInt());
        assertEquals(6, a.get("skipped").asInt() + b.get("skipped").asInt());
    }

    @Test
    void cancelStopsFurtherRuns() {
        Setup s = setup();
        String id = ok(backfill(s, range("2026-04-01", "2026-04-04"))).results().get("id").asText();
        runner.advanceAll();
        JsonNode cancelled = ok(admin().post("/api/1/backfill/" + id + "/cancel", null)).results();
        assertEquals("CANCELLED", cancelled.get("state").asText());
        assertEquals(1, cancelled.get("progress").get("running").asInt());
        assertEquals(3, cancelled.get("progress").get("cancelled").asInt());
        assertEquals(List.of("2026-04-01"), work(s, d -> false));
        runner.advanceAll();
        assertEquals(List.of(), work(s, d -> false));
        JsonNode p = progress(id).get("progress");
        assertEquals(1, p.get("completed").asInt(), p.toString());
        assertEquals(0, p.get("running").asInt(), p.toString());
        assertTrue(error(409, admin().post("/api/1/backfill/" + id + "/cancel", null)).contains("CANCELLED"));
    }

    @Test
    void deletingTheTriggerCancelsItsBackfill() {
        Setup s = setup();
        String id = ok(backfill(s, range("2026-05-01", "2026-05-03"))).results().get("id").asText();
        ok(admin().delete("/api/1/trigger/" + s.triggerId()));
        runner.advanceAll();
        JsonNode p = progress(id);
        assertEquals("CANCELLED", p.get("state").asText());
        assertEquals(3, p.get("progress").get("cancelled").asInt(), p.toString());
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        Setup s = setup();
        assertTrue(error(400, backfill(s, range("2026-01-05", "2026-01-01"))).contains("before /start"));
        assertTrue(error(400, backfill(s, range("2026-01-01", "2999-01-01"))).contains("in the future"));
        assertTrue(error(400, backfill(s, range("yesterday", "2026-01-01"))).contains("/start"));
        assertTrue(error(400, backfill(s, range("2026-01-01", "2026-01-02", "reprocess", "some")))
                .contains("/reprocess"));
        String minutely = ok(admin().post("/api/1/trigger", body(Map.of("name", "m", "trigger_type_name", "scheduled",
                "workflow_ids", List.of(s.workflowId()), "args", Map.of("cron_pattern", "* * * * ? *")))))
                .results().get("id").asText();
        assertTrue(error(400, admin().post("/api/1/trigger/" + minutely + "/backfill",
                range("2026-01-01", "2026-02-01"))).contains("more than 10000"));
        String event = ok(admin().post("/api/1/event", body(Map.of("name", "e")))).results().get("id").asText();
        String onEvent = ok(admin().post("/api/1/trigger", body(Map.of("name", "e", "trigger_type_name", "event",
                "workflow_ids", List.of(s.workflowId()), "args", Map.of("event_id", event))))).results()
                .get("id").asText();
        assertTrue(error(400, admin().post("/api/1/trigger/" + onEvent + "/backfill",
                range("2026-01-01", "2026-01-02"))).contains("only a scheduled trigger"));
        error(404, admin().post("/api/1/trigger/nope/backfill", range("2026-01-01", "2026-01-02")));
        error(404, admin().get("/api/1/backfill/nope"));
        error(403, as("viewer").post("/api/1/trigger/" + s.triggerId() + "/backfill",
                range("2026-01-01", "2026-01-02")));
    }
}

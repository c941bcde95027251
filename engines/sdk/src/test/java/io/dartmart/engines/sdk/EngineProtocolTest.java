package io.dartmart.engines.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.sdk.FakeApi.Answer;
import io.dartmart.engines.sdk.FakeApi.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the SDK sends and how it reacts, against {@link FakeApi}: registration, pull workers, launched mode. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EngineProtocolTest {
    private static final String KEY = "engkey:engsecret_0123";

    private FakeApi api;
    /** Work packages the fake's poll hands out, in order. */
    private final Queue<String> work = new ConcurrentLinkedQueue<>();
    /** Check-in bodies by action id. */
    private final Map<String, CompletableFuture<JsonNode>> checkins = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private DartEngine.Builder engine() {
        return DartEngine.builder().apiUrl(api.uri()).apiKey(KEY).name("fake_engine").description("d")
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private static String work(String id, String type, String args, String datastoreArgs, String parameters) {
        return "{\"engine\": {\"id\": \"E1\", \"data\": {\"name\": \"fake_engine\"}},"
                + " \"action\": {\"id\": \"" + id + "\", \"version_id\": 2, \"data\": {\"action_type_name\": \"" + type
                + "\", \"state\": \"RUNNING\", \"args\": " + args + "}},"
                + " \"datastore\": " + (datastoreArgs == null ? "null"
                : "{\"id\": \"D1\", \"data\": {\"args\": " + datastoreArgs + "}}")
                + (parameters == null ? "" : ", \"parameters\": " + parameters) + "}";
    }

    /**
     * The protocol routes: the batch check-in records the outcomes (refused when {@code refusal} has a message for the
     * action) and hands out up to {@code max} of {@link #work}; heartbeats answer OK.
     */
    private Answer protocol(Request r, Function<String, String> refusal) {
        if (r.method().equals("POST") && r.path().equals("/api/1/engine/fake_engine/action/checkins")) {
            JsonNode body = r.json();
            List<String> results = new ArrayList<>();
            for (JsonNode item : body.get("checkins")) {
                String id = item.get("action_id").asText();
                String refused = refusal.apply(id);
                if (refused == null) {
                    checkins.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(item);
                }
                results.add("{\"action_id\": \"" + id + "\", \"results\": "
                        + (refused == null ? "\"OK\"}" : "\"ERROR\", \"status\": 400, \"error_message\": \"" + refused + "\"}"));
            }
            List<String> next = new ArrayList<>();
            for (String w = null; next.size() < body.get("max").asInt() && (w = work.poll()) != null; ) {
                next.add(w);
            }
            if (next.isEmpty() && body.get("wait_seconds").asInt() > 0) {
                api.holdThenNoContent(300);
            }
            return Answer.ok("{\"results\": " + results + ", \"next\": " + next + "}");
        }
        if (r.path().endsWith("/heartbeat")) {
            return Answer.results("\"OK\"");
        }
        return Answer.error(404, "unexpected " + r.method() + " " + r.path());
    }

    private Answer protocol(Request r) {
        return protocol(r, id -> null);
    }

    /** The batch check-ins and polls the engine sent, in order. */
    private List<JsonNode> batchRequests() {
        return api.requests("POST", "/engine/fake_engine/action/checkins").stream().map(Request::json).toList();
    }

    private JsonNode checkinOf(String id) throws Exception {
        return checkins.computeIfAbsent(id, k -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
    }

    // ---- registration

    @Test
    void registerPostsTheRegistrationWhenTheEngineIsAbsent() throws Exception {
        api.routes(r -> r.method().equals("GET") ? Answer.ok("{\"results\": [], \"limit\": 10, \"offset\": 0, \"total\": 0}")
                : Answer.results("{\"id\": \"NEW\", \"version_id\": 1, \"data\": {\"name\": \"fake_engine\"}}"));
        DartEngine e = engine().actionType("t", "a type", null, ctx -> { }).build();

        assertEquals("NEW", e.register().get("id").asText());

        Request lookup = api.requests().get(0);
        assertEquals("GET", lookup.method());
        assertEquals("/api/1/engine", lookup.path());
        assertEquals("[\"name = fake_engine\"]", lookup.query().get("filters"));
        assertEquals("Bearer " + KEY, lookup.authorization());
        Request post = api.requests().get(1);
        assertEquals("POST", post.method());
        assertEquals("/api/1/engine", post.path());
        assertEquals("application/json", post.contentType());
        assertEquals(e.registration(), post.json().get("data"));
        assertEquals(2, api.requests().size());
    }

    @Test
    void reRegistrationPutsAndKeepsWhatTheEngineDoesNotSet() throws Exception {
        api.routes(r -> r.method().equals("GET")
                ? Answer.ok("{\"results\": [{\"id\": \"OTHER\", \"data\": {\"name\": \"fake_engine_2\"}},"
                + " {\"id\": \"E1\", \"version_id\": 4, \"data\": {\"name\": \"fake_engine\", \"description\": \"old\","
                + " \"launcher\": {\"type\": \"local_process\", \"command\": [\"run\"]}, \"tags\": [\"x\"],"
                + " \"supported_action_types\": []}}], \"total\": 2}")
                : Answer.results("{\"id\": \"E1\", \"version_id\": 5, \"data\": {}}"));
        DartEngine e = engine().actionType("t", null, null, ctx -> { }).build();

        e.register();

        Request put = api.requests("PUT", "/engine/E1").get(0);
        JsonNode data = put.json().get("data");
        assertEquals("d", data.get("description").asText());
        assertEquals("local_process", data.path("launcher").path("type").asText(), "an operator's launcher stays");
        assertEquals("x", data.path("tags").path(0).asText());
        assertEquals("t", data.path("supported_action_types").path(0).path("name").asText());
        assertTrue(api.requests("POST", "/engine").isEmpty());
    }

    @Test
    void anExplicitLauncherReplacesTheStoredOne() throws Exception {
        api.routes(r -> r.method().equals("GET")
                ? Answer.ok("{\"results\": [{\"id\": \"E1\", \"data\": {\"name\": \"fake_engine\","
                + " \"launcher\": {\"type\": \"local_process\", \"command\": [\"run\"]}}}]}")
                : Answer.results("{\"id\": \"E1\", \"data\": {}}"));
        engine().launcher(null).build().register();
        JsonNode data = api.requests("PUT", "/engine/E1").get(0).json().get("data");
        assertTrue(data.has("launcher") && data.get("launcher").isNull(), data::toString);
    }

    @Test
    void aRegistrationRaceEndsInAPut() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        api.routes(r -> {
            if (r.method().equals("GET")) {
                return lookups.incrementAndGet() == 1 ? Answer.ok("{\"results\": []}")
                        : Answer.ok("{\"results\": [{\"id\": \"E9\", \"data\": {\"name\": \"fake_engine\"}}]}");
            }
            return r.method().equals("POST") ? Answer.error(409, "engine name 'fake_engine' is taken")
                    : Answer.results("{\"id\": \"E9\", \"data\": {}}");
        });
        assertEquals("E9", engine().build().register().get("id").asText());
        assertEquals(1, api.requests("PUT", "/engine/E9").size());
    }

    @Test
    void refusalsCarryTheStatusAndTheServersMessage() {
        api.routes(r -> Answer.error(403, "an engine key for 'x' may only register that engine, not 'fake_engine'"));
        DartApiException e = assertThrows(DartApiException.class, () -> engine().build().register());
        assertEquals(403, e.status());
        assertEquals("an engine key for 'x' may only register that engine, not 'fake_engine'", e.errorMessage());
        assertEquals("GET", e.method());
        assertEquals("/api/1/engine", e.path(), "the path, without the query");
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    // ---- pull workers

    @Test
    void pullWorkersRunHandlersAndCheckInTheirOutcome() throws Exception {
        api.routes(this::protocol);
        AtomicReference<ActionContext> seen = new AtomicReference<>();
        DartEngine e = engine()
                .actionType("ok", null, null, ctx -> seen.set(ctx))
                .actionType("bad", null, null, ctx -> {
                    throw new IllegalStateException("disk full");
                })
                .actionType("silent", null, null, ctx -> {
                    throw new RuntimeException();
                })
                .build();
        work.add(work("A1", "ok", "{\"n\": 1}", "{\"size\": 3}", "{\"day\": \"2026-11-22\"}"));
        work.add(work("A2", "bad", "null", null, null));
        work.add(work("A3", "unknown_type", "{}", null, null));
        work.add(work("A4", "silent", "{}", null, null));

        try (PullWorkers workers = e.startPullWorkers(2)) {
            assertEquals(2, workers.size());
            assertEquals("{\"action_id\":\"A1\",\"attempt\":1,\"state\":\"SUCCESS\"}", checkinOf("A1").toString(),
                    "a server that sends no attempt is sent attempt 1");
            assertEquals("FAILURE", checkinOf("A2").get("state").asText());
            assertEquals("disk full", checkinOf("A2").get("error_message").asText());
            assertEquals("engine 'fake_engine' has no handler for action type 'unknown_type'; it handles bad, ok, silent",
                    checkinOf("A3").get("error_message").asText());
            assertEquals("java.lang.RuntimeException", checkinOf("A4").get("error_message").asText());
        }
        ActionContext ctx = seen.get();
        assertEquals("A1", ctx.actionId());
        assertEquals("ok", ctx.actionTypeName());
        assertEquals(1, ctx.actionArgs().get("n").asInt());
        assertEquals(3, ctx.datastoreArgs().get("size").asInt());
        assertEquals("2026-11-22", ctx.parameters().get("day").asText());
        assertEquals("D1", ctx.datastore().get("id").asText());
        assertEquals(2, ctx.action().get("version_id").asInt());

        Request poll = api.requests("POST", "/engine/fake_engine/action/checkins").get(0);
        assertEquals("{\"checkins\":[],\"max\":1,\"wait_seconds\":20}", poll.json().toString(),
                "a poll for one action with the default wait");
        assertEquals("Bearer " + KEY, poll.authorization());
        assertTrue(batchRequests().stream().anyMatch(b -> b.get("checkins").size() == 1 && b.get("max").asInt() == 1
                && b.get("wait_seconds").asInt() == 0), "a busy worker asks for its next action with the check-in");
    }

    @Test
    void aPackageWithoutDatastoreOrParametersGivesNulls() throws Exception {
        api.routes(this::protocol);
        CompletableFuture<ActionContext> seen = new CompletableFuture<>();
        work.add(work("A1", "ok", "null", null, null));
        try (PullWorkers ignored = engine().actionType("ok", null, null, seen::complete).build().startPullWorkers(1)) {
            ActionContext ctx = seen.get(10, TimeUnit.SECONDS);
            assertNull(ctx.datastoreArgs());
            assertNull(ctx.datastore());
            assertNull(ctx.parameters());
            assertTrue(ctx.actionArgs().isObject() && ctx.actionArgs().isEmpty(), "null args read as {}");
            checkinOf("A1");
        }
    }

    @Test
    void pullWorkersBackOffWhileTheApiFails() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        api.routes(r -> {
            polls.incrementAndGet();
            return Answer.error(503, "down");
        });
        PullWorkers workers = engine().retryBackoff(Duration.ofMillis(40), Duration.ofMillis(160)).build()
                .startPullWorkers(1);
        long t0 = System.nanoTime();
        Thread.sleep(1_000);
        workers.close();
        long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) - 1_000;
        // delays 20-40, 40-80, 80-160, then 80-160 ms each: about 8 to 14 polls in a second, never hundreds
        assertTrue(polls.get() >= 4 && polls.get() <= 16, "polls in one second: " + polls.get());
        assertTrue(closedMillis < 1_000, "close took " + closedMillis + " ms");
    }

    @Test
    void anUnreachableApiIsRetriedWithoutSpinning() throws Exception {
        api.close();   // nothing listens on the port any more
        PullWorkers workers = engine().retryBackoff(Duration.ofMillis(100), Duration.ofMillis(200)).build()
                .startPullWorkers(1);
        assertEquals(1, workers.size());
        Thread.sleep(300);
        long t0 = System.nanoTime();
        workers.close();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1_000);
    }

    @Test
    void closeAbandonsIdlePollsAtOnce() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        api.routes(r -> {
            polling.countDown();
            return api.holdThenNoContent(15_000);
        });
        PullWorkers workers = engine().build().startPullWorkers(3);
        assertTrue(polling.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        workers.close();
        workers.close();   // idempotent
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2_000, "close waited for the polls");
        assertEquals(0, workers.busy());
    }

    @Test
    void closeGivesRunningActionsTheirGraceThenStopsThem() throws Exception {
        api.routes(this::protocol);
        CountDownLatch running = new CountDownLatch(1);
        work.add(work("LONG", "slow", "{}", null, null));
        PullWorkers workers = engine().shutdownGrace(Duration.ofMillis(200))
                .actionType("slow", null, null, ctx -> {
                    running.countDown();
                    ctx.sleep(Duration.ofSeconds(30));
                }).build().startPullWorkers(1);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        assertEquals(1, workers.busy());
        long t0 = System.nanoTime();
        workers.close();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3_000);
        JsonNode checkin = checkinOf("LONG");
        assertEquals("FAILURE", checkin.get("state").asText());
        assertEquals("the action was stopped before it finished: the engine is stopping",
                checkin.get("error_message").asText());
    }

    @Test
    void closeLetsAShortActionFinish() throws Exception {
        api.routes(this::protocol);
        CountDownLatch running = new CountDownLatch(1);
        work.add(work("SHORT", "short", "{}", null, null));
        PullWorkers workers = engine().actionType("short", null, null, ctx -> {
            running.countDown();
            ctx.sleep(Duration.ofMillis(300));
        }).build().startPullWorkers(1);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        workers.close();
        assertEquals("SUCCESS", checkinOf("SHORT").get("state").asText());
    }

    @Test
    void heartbeatsGoOutWhileAHandlerRuns() throws Exception {
        api.routes(this::protocol);
        work.add(work("HB", "slow", "{}", null, null));
        try (PullWorkers ignored = engine().heartbeatInterval(Duration.ofMillis(50))
                .actionType("slow", null, null, ctx -> ctx.sleep(Duration.ofMillis(400))).build()
                .startPullWorkers(1)) {
            assertEquals("SUCCESS", checkinOf("HB").get("state").asText());
        }
        int beats = api.requests("PUT", "/engine/action/HB/heartbeat").size();
        assertTrue(beats >= 3, "heartbeats: " + beats);
        Request beat = api.requests("PUT", "/engine/action/HB/heartbeat").get(0);
        assertEquals("{\"attempt\":1}", beat.body());
        assertEquals("Bearer " + KEY, beat.authorization());
    }

    @Test
    void aRefusedHeartbeatStopsTheRun() throws Exception {
        api.routes(r -> r.path().endsWith("/heartbeat")
                ? Answer.error(400, "action 'GONE' is FAILED, not RUNNING; it needs no heartbeat") : protocol(r));
        work.add(work("GONE", "slow", "{}", null, null));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (PullWorkers ignored = engine().heartbeatInterval(Duration.ofMillis(50))
                .actionType("slow", null, null, ctx -> {
                    try {
                        ctx.sleep(Duration.ofSeconds(30));
                    } catch (CancellationException e) {
                        thrown.set(e);
                        assertTrue(ctx.isStopped());
                        throw e;
                    }
                }).build().startPullWorkers(1)) {
            JsonNode checkin = checkinOf("GONE");
            assertEquals("FAILURE", checkin.get("state").asText());
            assertTrue(checkin.get("error_message").asText().contains("no longer counts it as RUNNING"),
                    checkin::toString);
        }
        assertTrue(thrown.get() instanceof CancellationException);
    }

    @Test
    void aBatchWorkerRunsItsActionsInTurnAndChecksThemInTogether() throws Exception {
        api.routes(this::protocol);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        for (int i = 1; i <= 5; i++) {
            work.add(work("B" + i, "ok", "{}", null, null));
        }
        try (PullWorkers ignored = engine().pullBatch(3).actionType("ok", null, null, ctx -> ran.add(ctx.actionId()))
                .build().startPullWorkers(1)) {
            checkinOf("B5");
        }
        assertEquals(List.of("B1", "B2", "B3", "B4", "B5"), List.copyOf(ran));
        List<JsonNode> requests = batchRequests();
        assertEquals("{\"checkins\":[],\"max\":3,\"wait_seconds\":20}", requests.get(0).toString());
        assertEquals(List.of("B1", "B2", "B3"), requests.get(1).get("checkins").findValuesAsText("action_id"));
        assertEquals(3, requests.get(1).get("max").asInt(), "the check-in takes the next batch");
        assertEquals(0, requests.get(1).get("wait_seconds").asInt());
        assertEquals(List.of("B4", "B5"), requests.get(2).get("checkins").findValuesAsText("action_id"));
    }

    @Test
    void everyActionHeldGetsItsHeartbeat() throws Exception {
        api.routes(this::protocol);
        work.add(work("FIRST", "slow", "{}", null, null));
        work.add(work("SECOND", "quick", "{}", null, null));
        try (PullWorkers ignored = engine().pullBatch(2).heartbeatInterval(Duration.ofMillis(50))
                .actionType("slow", null, null, ctx -> ctx.sleep(Duration.ofMillis(400)))
                .actionType("quick", null, null, ctx -> { })
                .build().startPullWorkers(1)) {
            assertEquals("SUCCESS", checkinOf("SECOND").get("state").asText());
        }
        int beats = api.requests("PUT", "/engine/action/SECOND/heartbeat").size();
        assertTrue(beats >= 3, "the second action's heartbeats while the first ran: " + beats);
    }

    @Test
    void anActionThatWaitedPastAHeartbeatPeriodIsConfirmedBeforeItStarts() throws Exception {
        AtomicBoolean reassigned = new AtomicBoolean();
        api.routes(r -> reassigned.get() && r.path().endsWith("/SECOND/heartbeat")
                ? Answer.error(400, "action 'SECOND' is QUEUED, not RUNNING; it needs no heartbeat") : protocol(r));
        work.add(work("FIRST", "slow", "{}", null, null));
        work.add(work("SECOND", "quick", "{}", null, null));
        AtomicInteger quickStarted = new AtomicInteger();
        try (PullWorkers ignored = engine().pullBatch(2).heartbeatInterval(Duration.ofMillis(100))
                .actionType("slow", null, null, ctx -> {
                    ctx.sleep(Duration.ofMillis(300));
                    reassigned.set(true);
                })
                .actionType("quick", null, null, ctx -> quickStarted.incrementAndGet())
                .build().startPullWorkers(1)) {
            JsonNode second = checkinOf("SECOND");
            assertEquals("FAILURE", second.get("state").asText());
            assertTrue(second.get("error_message").asText().startsWith("the action was stopped before it started"),
                    second::toString);
        }
        assertEquals(0, quickStarted.get(), "a handler ran for an action the server had taken back");
    }

    /** {@code work} with {@code field} added to its top level. */
    private static String with(String work, String field) {
        return work.substring(0, work.length() - 1) + ", " + field + "}";
    }

    /**
     * Runs {@code given} (action type "slow": a handler that sleeps 30 s unless stopped) then {@code next} ("quick")
     * on one worker; answers why the slow one was stopped, after checking that it was stopped soon, that the worker
     * went on with the next one, and that the given-up one was not checked in; and the next one's check-in.
     */
    private GivenUp givenUp(String givenUpId, String given, String next) throws Exception {
        work.add(given);
        work.add(next);
        AtomicReference<String> stoppedWith = new AtomicReference<>();
        long started = System.nanoTime();
        JsonNode nextCheckin;
        try (PullWorkers ignored = engine().heartbeatInterval(Duration.ofMillis(100))
                .actionType("slow", null, null, ctx -> {
                    try {
                        ctx.sleep(Duration.ofSeconds(30));
                    } catch (CancellationException e) {
                        stoppedWith.set(e.getMessage());
                        throw e;
                    }
                })
                .actionType("quick", null, null, ctx -> { })
                .build().startPullWorkers(1)) {
            nextCheckin = checkinOf("NEXT");
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 5000, "given up after " + tookMs + " ms, not by a 30 s sleep");
        assertTrue(batchRequests().stream().noneMatch(b -> b.toString().contains("\"" + givenUpId + "\"")),
                "the given-up action was checked in: " + batchRequests());
        assertTrue(stoppedWith.get() != null, "the given-up handler was not stopped");
        return new GivenUp(stoppedWith.get(), nextCheckin);
    }

    private record GivenUp(String why, JsonNode nextCheckin) {
    }

    @Test
    void anEngineThatCannotReachTheServerGivesTheActionUpBeforeItsHeartbeatTimeoutAndDoesNotCheckItIn()
            throws Exception {
        api.routes(r -> r.path().endsWith("/heartbeat") ? Answer.error(503, "the database is restarting") : protocol(r));
        GivenUp out = givenUp("CUT", with(work("CUT", "slow", "{}", null, null), "\"heartbeat_timeout_seconds\": 0.6"),
                work("NEXT", "quick", "{}", null, null));
        assertTrue(out.why().contains("heartbeat timeout"), out::why);
        assertEquals("SUCCESS", out.nextCheckin().get("state").asText(), "the worker goes on with its next action");
    }

    @Test
    void anAttemptTheServerHandedOutAgainIsGivenUpAndNotCheckedIn() throws Exception {
        Queue<JsonNode> beats = new ConcurrentLinkedQueue<>();
        api.routes(r -> {
            if (r.path().endsWith("/OLD/heartbeat")) {
                beats.add(r.json());
                return Answer.error(409, "action 'OLD' is in attempt 3, not 2: attempt 2 was counted lost");
            }
            return protocol(r);
        });
        GivenUp out = givenUp("OLD", with(work("OLD", "slow", "{}", null, null), "\"attempt\": 2"),
                with(work("NEXT", "quick", "{}", null, null), "\"attempt\": 4"));
        assertTrue(out.why().contains("handed the action out again"), out::why);
        assertEquals(4, out.nextCheckin().get("attempt").asInt(), "an outcome names its attempt");
        assertEquals(2, beats.peek().get("attempt").asInt(), "a heartbeat names its attempt");
    }

    @Test
    void anActionHandedOutTooLateToStillBeOursIsGivenUpBeforeItStarts() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        api.routes(r -> {
            if (r.path().endsWith("/action/checkins") && first.getAndSet(false)) {
                // the answer that hands the action out arrives late, as to a process suspended meanwhile
                try {
                    Thread.sleep(800);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return protocol(r);
        });
        work.add(with(work("LATE", "quick", "{}", null, null), "\"heartbeat_timeout_seconds\": 0.5"));
        work.add(work("AFTER", "quick", "{}", null, null));
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        try (PullWorkers ignored = engine().heartbeatInterval(Duration.ofMillis(100))
                .actionType("quick", null, null, ctx -> ran.add(ctx.actionId())).build().startPullWorkers(1)) {
            assertEquals("SUCCESS", checkinOf("AFTER").get("state").asText());
        }
        assertEquals(List.of("AFTER"), List.copyOf(ran), "a handler ran for an action whose lease may have ended");
        assertTrue(batchRequests().stream().noneMatch(b -> b.get("checkins").toString().contains("\"LATE\"")),
                "the given-up action was checked in: " + batchRequests());
    }

    @Test
    void closingStopsTheActionsOfABatchThatHaveNotStarted() throws Exception {
        api.routes(this::protocol);
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        work.add(work("LONG", "slow", "{}", null, null));
        work.add(work("WAITING", "slow", "{}", null, null));
        PullWorkers workers = engine().pullBatch(2).shutdownGrace(Duration.ofMillis(200))
                .actionType("slow", null, null, ctx -> {
                    started.incrementAndGet();
                    running.countDown();
                    ctx.sleep(Duration.ofSeconds(30));
                }).build().startPullWorkers(1);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        workers.close();
        assertEquals("the action was stopped before it finished: the engine is stopping",
                checkinOf("LONG").get("error_message").asText());
        assertEquals("the action was stopped before it started: the engine is stopping",
                checkinOf("WAITING").get("error_message").asText());
        assertEquals(1, started.get());
        assertEquals(0, batchRequests().get(1).get("max").asInt(), "a closing worker takes no more work");
    }

    // ---- launched mode

    @Test
    void runLaunchedChecksOutRunsAndChecksIn() throws Exception {
        api.routes(r -> r.path().endsWith("/checkout") ? Answer.results(work("L1", "ok", "{}", "{}", null))
                : protocol(r));
        AtomicInteger runs = new AtomicInteger();
        DartEngine e = engine().actionType("ok", null, null, ctx -> runs.incrementAndGet()).build();
        assertTrue(e.runLaunched("L1"));
        assertEquals(1, runs.get());
        assertEquals("SUCCESS", checkinOf("L1").get("state").asText());
        Request checkout = api.requests("PUT", "/api/1/engine/action/L1/checkout").get(0);
        assertEquals("", checkout.body());
        assertNull(checkout.contentType());
    }

    @Test
    void runLaunchedSurfacesARefusedCheckout() {
        api.routes(r -> Answer.error(400, "action 'L1': cannot checkout an action in state RUNNING"));
        DartApiException e = assertThrows(DartApiException.class,
                () -> engine().actionType("ok", null, null, ctx -> { }).build().runLaunched("L1"));
        assertEquals(400, e.status());
        assertEquals("action 'L1': cannot checkout an action in state RUNNING", e.errorMessage());
        assertEquals("/api/1/engine/action/L1/checkout", e.path());
    }

    @Test
    void aCheckInIsRetriedOnServerErrorsAndCollisionsButNotOnRefusals() throws Exception {
        AtomicInteger checkinCalls = new AtomicInteger();
        api.routes(r -> {
            if (r.path().endsWith("/checkout")) {
                return Answer.results(work(r.path().split("/")[5], "ok", "{}", null, null));
            }
            if (r.body().contains("R1") && checkinCalls.incrementAndGet() < 3) {
                return checkinCalls.get() == 1 ? Answer.error(503, "busy")
                        : Answer.error(409, "a concurrent change collided with this one; retry the request");
            }
            return protocol(r, id -> id.equals("R2") ? "action 'R2': cannot checkin an action in state FAILED" : null);
        });
        DartEngine e = engine().actionType("ok", null, null, ctx -> { }).build();
        assertTrue(e.runLaunched("R1"));
        assertEquals(3, checkinCalls.get());
        assertFalse(e.runLaunched("R2"));
        assertEquals(1, batchRequests().stream().filter(b -> b.toString().contains("R2")).count());
        assertEquals(0, batchRequests().get(3).get("max").asInt(), "launched mode takes no next action");
    }

    // ---- context calls

    @Test
    void progressIsAJsonPatchOfTheAction() throws Exception {
        api.routes(r -> r.method().equals("PATCH") ? Answer.results("{\"id\": \"P1\", \"data\": {}}")
                : r.path().endsWith("/checkout") ? Answer.results(work("P1", "ok", "{}", null, null)) : protocol(r));
        DartEngine e = engine().actionType("ok", null, null, ctx -> {
            ctx.progress(0.25);
            assertThrows(IllegalArgumentException.class, () -> ctx.progress(1.5));
            assertThrows(IllegalArgumentException.class, () -> ctx.progress(Double.NaN));
        }).build();
        assertTrue(e.runLaunched("P1"));
        Request patch = api.requests("PATCH", "/api/1/action/P1").get(0);
        assertEquals("application/json-patch+json", patch.contentType());
        assertEquals("[{\"op\":\"add\",\"path\":\"/data/progress\",\"value\":0.25}]", patch.json().toString());
        assertEquals(1, api.requests("PATCH", "/api/1/action/P1").size());
    }

    @Test
    void subscriptionElementsAreReadPageByPage() throws Exception {
        int total = 450;
        api.routes(r -> {
            if (r.path().endsWith("/subscription/elements")) {
                int limit = Integer.parseInt(r.query().get("limit"));
                int offset = Integer.parseInt(r.query().get("offset"));
                StringBuilder page = new StringBuilder("[");
                for (int i = offset; i < Math.min(total, offset + limit); i++) {
                    page.append(i == offset ? "" : ",").append("{\"id\": \"e").append(i).append("\"}");
                }
                return Answer.ok("{\"results\": " + page + "], \"limit\": " + limit + ", \"offset\": " + offset
                        + ", \"total\": " + total + "}");
            }
            return r.path().endsWith("/checkout") ? Answer.results(work("S1", "consume", "{}", null, null)) : protocol(r);
        });
        AtomicInteger count = new AtomicInteger();
        AtomicReference<String> last = new AtomicReference<>();
        DartEngine e = engine().actionType("consume", null, null, ctx -> {
            for (JsonNode element : ctx.subscriptionElements()) {
                count.incrementAndGet();
                last.set(element.get("id").asText());
            }
        }).build();
        assertTrue(e.runLaunched("S1"));
        assertEquals(total, count.get());
        assertEquals("e449", last.get());
        assertEquals(3, api.requests("GET", "/api/1/action/S1/subscription/elements").size(),
                "pages of 200, and no page asked past the total");
    }

    @Test
    void anElementsPageTheServerCouldNotAnswerIsAskedAgain() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        api.routes(r -> {
            if (r.path().endsWith("/subscription/elements")) {
                return asked.incrementAndGet() <= 2 ? Answer.error(503, "the database is restarting")
                        : Answer.ok("{\"results\": [{\"id\": \"e0\"}], \"total\": 1}");
            }
            return r.path().endsWith("/checkout") ? Answer.results(work("S3", "consume", "{}", null, null)) : protocol(r);
        });
        AtomicInteger count = new AtomicInteger();
        DartEngine e = engine().actionType("consume", null, null, ctx -> ctx.subscriptionElements()
                .forEach(element -> count.incrementAndGet())).build();
        assertTrue(e.runLaunched("S3"));
        assertEquals(1, count.get());
        assertEquals("SUCCESS", checkinOf("S3").get("state").asText(), checkinOf("S3")::toString);
        assertEquals(3, api.requests("GET", "/api/1/action/S3/subscription/elements").size());
    }

    @Test
    void aFailingElementsPageFailsTheAction() throws Exception {
        api.routes(r -> r.path().endsWith("/subscription/elements") ? Answer.error(403, "not your action")
                : r.path().endsWith("/checkout") ? Answer.results(work("S2", "consume", "{}", null, null)) : protocol(r));
        DartEngine e = engine().actionType("consume", null, null, ctx -> ctx.subscriptionElements().iterator().hasNext())
                .build();
        assertTrue(e.runLaunched("S2"));
        assertTrue(checkinOf("S2").get("error_message").asText().endsWith("answered 403: not your action"),
                checkinOf("S2")::toString);
    }
}

package io.dartmart.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.engines.noop.NoOpEngine;
import io.dartmart.engines.sdk.DartApiException;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.PullWorkers;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.dartmart.local.AdminApi.MAPPER;
import static io.dartmart.local.AdminApi.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The no_op engine, through the engine SDK, against the real API server in-process (embedded PostgreSQL): pull
 * workers take the steps of manual runs, in order, and check them in; failures and run parameters reach the API and
 * the handler as the protocol says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoOpEngineEndToEndTest {
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(20);

    private EmbeddedServer server;
    private AdminApi api;
    private DartEngine noOp;
    private PullWorkers noOpWorkers;
    private String paramsEngineName;
    private PullWorkers paramsWorkers;
    /** What the params engine's handler saw, by action id. */
    private final Map<String, CompletableFuture<ObjectNode>> seen = new ConcurrentHashMap<>();

    @BeforeAll
    void startServerAndEngines() throws Exception {
        server = AdminApi.startServer(Map.of());
        URI base = server.getURI();
        api = new AdminApi(base);

        noOp = NoOpEngine.builder().apiUrl(base).apiKey(engineKey("noop@example.com", NoOpEngine.NAME)).build();
        noOp.register();
        noOpWorkers = noOp.startPullWorkers(2);

        paramsEngineName = "e2e_params_engine_" + unique();
        DartEngine params = DartEngine.builder()
                .apiUrl(base + "/api/1/")
                .apiKey(engineKey("params@example.com", paramsEngineName))
                .name(paramsEngineName)
                .description("records what its handler sees")
                .optionsSchema(json("{\"type\": \"object\"}"))
                .actionType("record", "records its context", json("{\"type\": \"object\"}"), ctx -> {
                    ObjectNode got = MAPPER.createObjectNode();
                    got.set("parameters", ctx.parameters());
                    got.set("action_args", ctx.actionArgs());
                    got.set("datastore_args", ctx.datastoreArgs());
                    got.put("type", ctx.actionTypeName());
                    long elements = 0;
                    for (JsonNode ignored : ctx.subscriptionElements()) {
                        elements++;
                    }
                    got.put("elements", elements);
                    ctx.progress(0.5);
                    ctx.sleep(Duration.ofMillis(350));   // long enough for a few heartbeats
                    seen.computeIfAbsent(ctx.actionId(), id -> new CompletableFuture<>()).complete(got);
                })
                .pollWaitSeconds(5)
                .heartbeatInterval(Duration.ofMillis(100))
                .build();
        params.register();
        paramsWorkers = params.startPullWorkers(1);
    }

    @AfterAll
    void stop() {
        if (noOpWorkers != null) {
            noOpWorkers.close();
        }
        if (paramsWorkers != null) {
            paramsWorkers.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    @Test
    void twoStepsRunInOrderAndComplete() throws Exception {
        String workflow = workflowOnNoOp("fake_action_that_succeeds", "fake_action_that_succeeds");
        api.call("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger", null);

        JsonNode instance = awaitInstance(workflow, "COMPLETED");
        ArrayNode actions = api.actionsOf(instance.get("id").asText());
        assertEquals(2, actions.size(), actions::toString);
        JsonNode first = actions.get(0).get("data");
        JsonNode second = actions.get(1).get("data");
        assertEquals("first", first.get("name").asText());
        assertEquals("second", second.get("name").asText());
        for (JsonNode a : new JsonNode[]{first, second}) {
            assertEquals("COMPLETED", a.get("state").asText(), a::toString);
            assertEquals(NoOpEngine.NAME, a.get("engine_name").asText());
            assertTrue(a.path("error_message").isNull() || a.path("error_message").isMissingNode(), a::toString);
        }
        assertFalse(time(second, "start_time").isBefore(time(first, "end_time")),
                "the second step started before the first ended: " + actions);
        assertEquals(instance.path("data").path("datastore_id").asText(), first.get("datastore_id").asText());
        JsonNode clone = api.get("/api/1/datastore/" + first.get("datastore_id").asText()).get("results");
        assertEquals("ACTIVE", clone.path("data").path("state").asText(), "the run works on an ACTIVE clone");
    }

    @Test
    void aFailingStepFailsTheRunWithTheReferenceMessage() throws Exception {
        String workflow = workflowOnNoOp("fake_action_that_succeeds", "fake_action_that_fails");
        api.call("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger", null);

        JsonNode instance = awaitInstance(workflow, "FAILED");
        ArrayNode actions = api.actionsOf(instance.get("id").asText());
        assertEquals(2, actions.size(), actions::toString);
        assertEquals("COMPLETED", actions.get(0).path("data").path("state").asText(), actions::toString);
        JsonNode failed = actions.get(1).get("data");
        assertEquals("FAILED", failed.get("state").asText(), failed::toString);
        assertEquals("fake_action_that_fails failed as expected", failed.get("error_message").asText());
        assertFalse(failed.path("end_time").isNull(), failed::toString);
    }

    @Test
    void runParametersReachTheHandler() throws Exception {
        String datastore = api.create("/api/1/datastore", Map.of("name", "params-e2e",
                "engine_name", paramsEngineName, "state", "TEMPLATE", "args", Map.of("region", "eu")));
        String workflow = api.create("/api/1/datastore/" + datastore + "/workflow",
                Map.of("name", "w", "state", "ACTIVE"));
        api.call("POST", "/api/1/workflow/" + workflow + "/action", MAPPER.valueToTree(new Object[]{
                Map.of("data", Map.of("name", "only", "action_type_name", "record",
                        "args", Map.of("what", "it")))}));
        api.call("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger",
                json("{\"parameters\": {\"day\": \"2026-11-22\"}}"));

        JsonNode instance = awaitInstance(workflow, "COMPLETED");
        JsonNode action = api.actionsOf(instance.get("id").asText()).get(0);
        ObjectNode got = seen.get(action.get("id").asText()).get(1, TimeUnit.SECONDS);
        assertEquals("2026-11-22", got.path("parameters").path("day").asText(), got::toString);
        assertEquals("record", got.path("type").asText());
        assertEquals("it", got.path("action_args").path("what").asText(), got::toString);
        assertEquals("eu", got.path("datastore_args").path("region").asText(), got::toString);
        assertEquals(0, got.path("elements").asLong());
        assertEquals(0.5, action.path("data").path("progress").asDouble(), action::toString);
        assertEquals("COMPLETED", action.path("data").path("state").asText());
        assertTrue(time(action.get("data"), "heartbeat_time").isAfter(time(action.get("data"), "start_time")),
                () -> "heartbeats were sent while the handler ran: " + action);
    }

    @Test
    void reRegistrationKeepsTheEngineAndLaunchedModeReportsRefusals() throws Exception {
        JsonNode before = api.get("/api/1/engine?filters=" + URLEncoder.encode("[\"name = no_op_engine\"]",
                StandardCharsets.UTF_8)).get("results");
        assertEquals(1, before.size(), before::toString);
        JsonNode again = noOp.register();
        assertEquals(before.get(0).get("id").asText(), again.get("id").asText(), "PUT, not a second engine");
        assertEquals(noOp.registration().get("supported_action_types"), again.path("data").get("supported_action_types"));
        assertTrue(again.path("data").path("launcher").isNull() || again.path("data").path("launcher").isMissingNode(),
                "pull mode: no launcher");

        // a finished action cannot be checked out: launched mode surfaces the server's 400 and its message
        String workflow = workflowOnNoOp("fake_action_that_succeeds");
        api.call("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger", null);
        JsonNode instance = awaitInstance(workflow, "COMPLETED");
        String done = api.actionsOf(instance.get("id").asText()).get(0).get("id").asText();
        DartApiException refused = assertThrows(DartApiException.class, () -> noOp.runLaunched(done));
        assertEquals(400, refused.status());
        assertTrue(refused.errorMessage().contains("COMPLETED"), refused.errorMessage());
        DartApiException unknown = assertThrows(DartApiException.class, () -> noOp.runLaunched("NOSUCHACTION"));
        assertEquals(404, unknown.status());
        assertNotEquals(null, unknown.errorMessage());
    }

    @Test
    void launchedModeChecksOutRunsAndChecksInAPendingAction() throws Exception {
        // INACTIVE: on an ACTIVE datastore the platform would queue the ad-hoc action and a pull worker take it
        String datastore = api.create("/api/1/datastore", Map.of("name", "noop-launched", "engine_name",
                NoOpEngine.NAME, "state", "INACTIVE", "args", Map.of("action_sleep_time_in_seconds", 0)));
        JsonNode created = api.call("POST", "/api/1/datastore/" + datastore + "/action",
                data(Map.of("name", "adhoc", "action_type_name", "fake_action_that_fails"))).get("results").get(0);
        String id = created.get("id").asText();
        assertEquals("HAS_NEVER_RUN", created.path("data").path("state").asText(), "it waits for its datastore");
        // the engine worker's QUEUED -> PENDING (it launches a task) is not running here: simulate it in SQL
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl());
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE action SET data = jsonb_set(data, '{state}', '\"PENDING\"') WHERE id = ?")) {
            ps.setString(1, id);
            assertEquals(1, ps.executeUpdate());
        }

        assertTrue(noOp.runLaunched(id), "the outcome was checked in");

        JsonNode after = api.get("/api/1/action/" + id).get("results").get("data");
        assertEquals("FAILED", after.get("state").asText(), after::toString);
        assertEquals("fake_action_that_fails failed as expected", after.get("error_message").asText());
        assertFalse(time(after, "end_time").isBefore(time(after, "start_time")));
    }

    // ---- helpers

    /** A TEMPLATE datastore of no_op_engine that sleeps 0 s, and an ACTIVE workflow of these steps on it. */
    private String workflowOnNoOp(String... stepTypes) throws Exception {
        String datastore = api.create("/api/1/datastore", Map.of("name", "noop-e2e", "engine_name",
                NoOpEngine.NAME, "state", "TEMPLATE", "args", Map.of("action_sleep_time_in_seconds", 0)));
        String workflow = api.create("/api/1/datastore/" + datastore + "/workflow",
                Map.of("name", "w", "state", "ACTIVE"));
        ArrayNode steps = MAPPER.createArrayNode();
        String[] names = {"first", "second", "third"};
        for (int i = 0; i < stepTypes.length; i++) {
            steps.add(data(Map.of("name", names[i], "action_type_name", stepTypes[i])));
        }
        api.call("POST", "/api/1/workflow/" + workflow + "/action", steps);
        return workflow;
    }

    /** Waits until the workflow's only instance is in {@code state}; fails on another final state or the deadline. */
    private JsonNode awaitInstance(String workflow, String state) throws Exception {
        JsonNode last = null;
        long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
        Predicate<String> finalState = s -> s.equals("COMPLETED") || s.equals("FAILED");
        while (System.nanoTime() < deadline) {
            JsonNode instances = api.get("/api/1/workflow/" + workflow + "/instance").get("results");
            if (instances.size() == 1) {
                last = instances.get(0);
                String now = last.path("data").path("state").asText();
                if (now.equals(state)) {
                    return last;
                }
                if (finalState.test(now)) {
                    fail("the instance ended " + now + ", not " + state + ": " + last + "; actions: "
                            + api.actionsOf(last.get("id").asText()));
                }
            }
            TimeUnit.MILLISECONDS.sleep(25);   // the interval of this poll of the API, not a synchronisation
        }
        fail("no " + state + " instance of workflow " + workflow + " within " + RUN_DEADLINE + "; last seen: " + last
                + (last == null ? "" : "; actions: " + api.actionsOf(last.get("id").asText())));
        return null;
    }

    private static OffsetDateTime time(JsonNode data, String field) {
        assertFalse(data.path(field).isNull() || data.path(field).isMissingNode(), () -> field + " missing: " + data);
        return OffsetDateTime.parse(data.get(field).asText());
    }

    /** Creates a key of role engine for {@code engineName}; answers key:secret. */
    private String engineKey(String user, String engineName) throws Exception {
        JsonNode key = api.call("POST", "/api/1/api_key", data(Map.of("user_id", user, "role", "engine",
                "engine_name", engineName))).get("results").get("data");
        return key.get("key").asText() + ":" + key.get("secret").asText();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

}

package io.dartmart.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.engines.noop.NoOpEngine;
import io.dartmart.engines.worker.EngineWorkerMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Launched mode from end to end: the engine worker starts the real no_op engine as a separate JVM process for each
 * action, with DART_ACTION_ID, the API URL and an engine-scoped key; the process checks the action out over HTTP,
 * works, checks it in, and what it prints becomes the action's logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LaunchedEngineEndToEndTest {
    private static final String ADMIN = "test-admin:test-admin-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EmbeddedServer server;
    private EngineWorkerMain worker;

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.put("micronaut.server.port", -1);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        props.put("dart.bootstrap-key", ADMIN);
        // no S3 here: the logs stay in the database (the engine worker's own tests cover the S3 copy)
        props.put("dart.execution.logs-to-s3", false);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        server.getApplicationContext().getEnvironment().addPropertySource("launch-test",
                Map.of("dart.api-url", server.getURI().toString()));
        worker = new EngineWorkerMain(server.getApplicationContext());
    }

    @AfterAll
    void stop() throws Exception {
        // other test classes share the database and expect no_op_engine in pull mode
        register(NoOpEngine.registration());
        worker.close();
        server.close();
    }

    /** Registers no_op_engine as {@code registration} says, whether or not another test registered it first. */
    private void register(JsonNode registration) throws Exception {
        String filter = URLEncoder.encode("[\"name = " + NoOpEngine.NAME + "\"]", StandardCharsets.UTF_8);
        JsonNode found = call("GET", "/api/1/engine?filters=" + filter, null).path("results");
        if (found.isEmpty()) {
            call("POST", "/api/1/engine", Map.of("data", registration));
        } else {
            var data = (com.fasterxml.jackson.databind.node.ObjectNode) registration.deepCopy();
            if (!data.has("launcher")) {
                data.putNull("launcher");
            }
            call("PUT", "/api/1/engine/" + found.get(0).get("id").asText(), Map.of("data", data));
        }
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.getURI().resolve(path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(Json.MAPPER.valueToTree(body))));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), method + " " + path + " -> " + r.body());
        return Json.parseTrusted(r.body());
    }

    /** Every log line of the actions of {@code workflowId}'s runs, to say why a run did not end. */
    private String printed(String workflowId) throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode a : call("GET", "/api/1/action?workflow_id=" + workflowId + "&limit=100", null).path("results")) {
            call("GET", "/api/1/action/" + a.get("id").asText() + "/logs?limit=100", null).path("results")
                    .forEach(l -> out.append('\n').append(l.path("line").asText()));
        }
        return out.toString();
    }

    @Test
    void theEngineWorkerRunsEachActionInItsOwnEngineProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.dartmart.engines.noop.NoOpEngineMain"));
        var registration = NoOpEngine.registration();
        registration.set("launcher", Json.MAPPER.valueToTree(Map.of("type", "local_process", "command", command)));
        register(registration);
        String ds = call("POST", "/api/1/datastore", Map.of("data", Map.of("name", "launched",
                "engine_name", NoOpEngine.NAME, "state", "TEMPLATE",
                "args", Map.of(NoOpEngine.SLEEP_OPTION, 0)))).path("results").path("id").asText();
        String wf = call("POST", "/api/1/datastore/" + ds + "/workflow", Map.of("data", Map.of("name", "w",
                "state", "ACTIVE"))).path("results").path("id").asText();
        call("POST", "/api/1/workflow/" + wf + "/action", List.of(
                Map.of("data", Map.of("name", "one", "action_type_name", NoOpEngine.FAKE_ACTION_THAT_SUCCEEDS)),
                Map.of("data", Map.of("name", "two", "action_type_name", NoOpEngine.FAKE_ACTION_THAT_FAILS,
                        "on_failure", "CONTINUE"))));
        call("POST", "/api/1/workflow/" + wf + "/do-manual-trigger", null);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode instance;
        do {
            if (System.nanoTime() > deadline) {
                fail("the launched run did not end within 60 s; the tasks printed: " + printed(wf));
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            instance = call("GET", "/api/1/workflow/" + wf + "/instance", null).path("results").get(0);
        } while (!"COMPLETED".equals(instance.path("data").path("state").asText()));

        JsonNode actions = call("GET", "/api/1/action?workflow_instance_id=" + instance.get("id").asText()
                + "&order_by=" + URLEncoder.encode("[\"order_idx ASC\"]", StandardCharsets.UTF_8), null).path("results");
        assertEquals("COMPLETED", actions.get(0).path("data").path("state").asText());
        assertTrue(actions.get(0).path("data").path("launch_handle").asText().startsWith("pid:"));
        assertEquals("FAILED", actions.get(1).path("data").path("state").asText());
        assertEquals(NoOpEngine.FAILURE_MESSAGE, actions.get(1).path("data").path("error_message").asText());

        String firstId = actions.get(0).get("id").asText();
        long logDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode logs;
        do {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            logs = call("GET", "/api/1/action/" + firstId + "/logs?limit=1000", null);
        } while (logs.path("total").asInt() == 0 && System.nanoTime() < logDeadline);
        assertTrue(logs.path("total").asInt() > 0, "the engine process's output is kept as the action's logs");
        assertTrue(logs.path("results").toString().contains(firstId), logs.toString());
    }
}

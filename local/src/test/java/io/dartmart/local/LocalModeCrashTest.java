package io.dartmart.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.testing.Await;
import io.dartmart.engines.noop.NoOpEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash of issue 10: {@code ./dart local} is killed with SIGKILL while an action runs, and started again on the
 * same data directory. The database the dead JVM left is taken over, the lost action is queued again without using
 * the step's retries, and the run COMPLETES.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class LocalModeCrashTest {
    private static final String ADMIN = "test-admin:test-admin-secret-0123456789";
    private static final Duration START_PATIENCE = Duration.ofSeconds(200);

    @TempDir
    Path data;

    /** A test that failed half-way may leave the killed JVM's database running; it must not outlive the test. */
    @AfterEach
    void stopLeftoverDatabase() throws Exception {
        LocalDatabase.stopPostmaster(data.resolve("postgres"));
    }

    @Test
    void aRunInterruptedByAKilledLocalModeCompletesAfterTheRestart() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = Map.of("DART_BOOTSTRAP_KEY", ADMIN);
        String[] args = {"--data-dir", data.toString(), "--port", String.valueOf(port)};
        AdminApi api = new AdminApi(URI.create("http://localhost:" + port));
        String workflow;
        String instance;
        try (JvmProcess first = JvmProcess.start(LocalMain.class, env, args)) {
            first.awaitLine("dart: ready", START_PATIENCE);
            String ds = api.create("/api/1/datastore", Map.of("name", "crash", "engine_name", NoOpEngine.NAME,
                    "state", "TEMPLATE", "args", Map.of(NoOpEngine.SLEEP_OPTION, 6)));
            workflow = api.create("/api/1/datastore/" + ds + "/workflow", Map.of("name", "crash", "state", "ACTIVE"));
            api.call("POST", "/api/1/workflow/" + workflow + "/action", AdminApi.MAPPER.valueToTree(List.of(
                    Map.of("data", Map.of("name", "sleeps", "action_type_name",
                            NoOpEngine.FAKE_ACTION_THAT_SUCCEEDS)))));
            api.call("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger", AdminApi.MAPPER.createObjectNode());
            Await.until("the run's action is RUNNING", Duration.ofSeconds(30), () -> api.instances(workflow).size() == 1
                    && "RUNNING".equals(state(api, api.instances(workflow).get(0).get("id").asText())));
            instance = api.instances(workflow).get(0).get("id").asText();
            first.kill();
        }
        try (JvmProcess second = JvmProcess.start(LocalMain.class, env, args)) {
            second.awaitLine("dart: ready", START_PATIENCE);
            JsonNode run = api.awaitRun(workflow, 1, "COMPLETED", Duration.ofSeconds(40));
            assertEquals(instance, run.get("id").asText());
            JsonNode action = api.actionsOf(instance).get(0).path("data");
            assertEquals(0, action.path("attempt").asInt(), "the step's own retries are not used");
            assertEquals(1, action.path("lost_attempts").asInt(), action.toString());
            assertEquals(2, action.path("checkouts").asInt(), action.toString());
            assertTrue(second.awaitLine("dart: 1 action(s)", Duration.ofSeconds(1)).contains("queued again"));
        }
    }

    private static String state(AdminApi api, String instance) {
        JsonNode actions = api.actionsOf(instance);
        return actions.isEmpty() ? "" : actions.get(0).path("data").path("state").asText();
    }
}

package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who decides how an engine is launched, and the action token a launched task holds: good for its one action's
 * check-out, heartbeat, progress, logs, elements and check-in, and for nothing once the action has ended.
 */
@MicronautTest
class LaunchSecurityTest extends ApiTestBase {
    private String engine;
    private String engineId;
    private ApiClient engineKey;
    private String datastoreId;

    @BeforeAll
    void setUp() {
        engine = "launch_sec_" + unique();
        engineId = registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")))
                .get("id").asText();
        engineKey = as("engine", engine);
        datastoreId = ok(admin().post("/api/1/datastore", body(Map.of("name", "ls", "engine_name", engine,
                "state", "ACTIVE")))).results().get("id").asText();
    }

    private ObjectNode storedRegistration() {
        return (ObjectNode) ok(admin().get("/api/1/engine/" + engineId)).results().get("data").deepCopy();
    }

    @Test
    void onlyAnAdminKeySetsOrChangesHowAnEngineIsLaunched() {
        ObjectNode data = storedRegistration();
        data.set("launcher", tree(Map.of("type", "local_process", "command", List.of("sh", "-c", "id; env"))));
        String refused = error(403, engineKey.put("/api/1/engine/" + engineId, body(data)));
        assertTrue(refused.contains("/data/launcher") && refused.contains("admin"), refused);
        error(403, engineKey.patch("/api/1/engine/" + engineId,
                List.of(Map.of("op", "add", "path", "/data/ecs_task_definition_arn", "value", "arn:x"))));
        String other = "launch_new_" + unique();
        error(403, as("engine", other).post("/api/1/engine", body(Map.of("name", other,
                "launcher", Map.of("type", "local_process", "command", List.of("true"))))));
        assertTrue(storedRegistration().path("launcher").isMissingNode()
                || storedRegistration().path("launcher").isNull(), "nothing was stored");

        ok(admin().put("/api/1/engine/" + engineId, body(data)));
        ObjectNode again = storedRegistration();
        again.put("description", "re-registered by its own key");
        assertEquals("re-registered by its own key", ok(engineKey.put("/api/1/engine/" + engineId, body(again)))
                .results().path("data").path("description").asText(), "launch fields as stored are fine");
        again.remove("launcher");
        ok(engineKey.put("/api/1/engine/" + engineId, body(again)));
        assertEquals("local_process", storedRegistration().path("launcher").path("type").asText(),
                "a registration that leaves the launcher out keeps it");
        again.putNull("launcher");
        error(403, engineKey.put("/api/1/engine/" + engineId, body(again)));
        ok(admin().patch("/api/1/engine/" + engineId, List.of(Map.of("op", "remove", "path", "/data/launcher"))));
    }

    /** An ad-hoc action made PENDING with a token, as the engine worker's claim does; answers {id, token}. */
    private String[] launchedAction() throws Exception {
        String id = ok(admin().post("/api/1/datastore/" + datastoreId + "/action",
                List.of(body(Map.of("name", "a", "action_type_name", "step"))))).results().get(0).get("id").asText();
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "UPDATE action SET data = jsonb_set(data, '{state}', '\"PENDING\"') WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        var ctx = server.getApplicationContext();
        String token = ctx.getBean(Db.class).tx(c -> ctx.getBean(ActionTokens.class)
                .issue(c, ctx.getBean(EntityStore.class).get(c, EntityType.ACTION, id)));
        return new String[]{id, token};
    }

    private ApiClient holding(String token) {
        int colon = token.indexOf(':');
        return ApiClient.bearer(base(), token.substring(0, colon), token.substring(colon + 1));
    }

    @Test
    void anActionTokenIsGoodForItsOneActionWhileItRuns() throws Exception {
        String[] mine = launchedAction();
        String[] other = launchedAction();
        ApiClient task = holding(mine[1]);
        String id = mine[0];

        JsonNode work = ok(task.put("/api/1/engine/action/" + id + "/checkout", null)).results();
        assertEquals("RUNNING", work.path("action").path("data").path("state").asText());
        ok(task.put("/api/1/engine/action/" + id + "/heartbeat", null));
        ok(task.patch("/api/1/action/" + id, List.of(Map.of("op", "add", "path", "/data/progress", "value", 0.5))));
        ok(task.get("/api/1/action/" + id));
        ok(task.get("/api/1/action/" + id + "/logs"));
        ok(task.get("/api/1/action/" + id + "/subscription/elements"));

        error(403, task.put("/api/1/engine/action/" + other[0] + "/checkout", null));
        error(403, task.get("/api/1/action/" + other[0]));
        error(403, task.get("/api/1/datastore/" + datastoreId));
        error(403, task.get("/api/1/engine"));
        error(403, task.post("/api/1/engine/" + engine + "/action/poll", Map.of("wait_seconds", 0)));
        error(403, task.put("/api/1/engine/" + engineId, body(storedRegistration())));
        error(403, task.get("/api/1/api_key"));
        error(403, task.put("/api/1/engine/action/" + id + "/checkin",
                Map.of("state", "SUCCESS", "poll", Map.of("wait_seconds", 0))));
        assertEquals("RUNNING", ok(admin().get("/api/1/action/" + id)).results().path("data").path("state").asText(),
                "a refused check-in changed nothing");

        error(403, task.post("/api/1/engine/" + engine + "/action/checkins", Map.of("checkins", List.of(), "max", 1)));
        ok(task.put("/api/1/engine/action/" + id + "/checkin", Map.of("state", "SUCCESS")));
        error(401, task.get("/api/1/action/" + id));
        error(401, task.put("/api/1/engine/action/" + id + "/heartbeat", null));

        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM action_token WHERE secret_sha256 LIKE ?")) {
            ps.setString(1, "%" + mine[1].substring(mine[1].indexOf(':') + 1) + "%");
            var rs = ps.executeQuery();
            rs.next();
            assertEquals(0, rs.getInt(1), "only a hash of the token is stored");
        }
    }

    @Test
    void aNewLaunchVoidsTheActionsEarlierToken() throws Exception {
        String[] first = launchedAction();
        var ctx = server.getApplicationContext();
        String second = ctx.getBean(Db.class).tx(c -> ctx.getBean(ActionTokens.class)
                .issue(c, ctx.getBean(EntityStore.class).get(c, EntityType.ACTION, first[0])));
        error(401, holding(first[1]).get("/api/1/action/" + first[0]));
        ok(holding(second).get("/api/1/action/" + first[0]));
    }
}

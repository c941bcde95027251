package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets, references and bodies that used to go quietly wrong (issue 8, items 4 and 6). */
@MicronautTest
class SecurityFixesTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String engine;
    private String engineId;

    @BeforeAll
    void setUp() {
        engine = "fixes_" + unique();
        engineId = registerEngine(engine, Map.of("type", "object", "properties",
                        Map.of("password", Map.of("type", "string", "x-dart-secret", true))),
                Map.of("step", Map.of("type", "object"))).get("id").asText();
    }

    private String datastore(Map<String, Object> args) {
        return ok(admin().post("/api/1/datastore", body(Map.of("name", "f-" + unique(), "engine_name", engine,
                "state", "ACTIVE", "args", args)))).results().get("id").asText();
    }

    private static String storedArgs(String id) throws Exception {
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("SELECT data ->> 'args' FROM datastore WHERE id = ?")) {
            ps.setString(1, id);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theMaskIsNeverStoredAsASecret() throws Exception {
        String ds = datastore(Map.of("password", "hunter2-secret"));
        // the engine re-registers without x-dart-secret; an editor then does the documented read-modify-write
        ObjectNode reg = (ObjectNode) ok(admin().get("/api/1/engine/" + engineId)).results().get("data").deepCopy();
        reg.set("options_json_schema", tree(Map.of("type", "object", "properties",
                Map.of("password", Map.of("type", "string")))));
        ok(admin().put("/api/1/engine/" + engineId, body(reg)));
        ApiClient editor = as("editor");
        JsonNode read = ok(editor.get("/api/1/datastore/" + ds)).results();
        assertEquals("********", read.path("data").path("args").path("password").asText());
        ((ObjectNode) read.get("data")).put("description", "edited");
        ok(editor.put("/api/1/datastore/" + ds, Map.of("data", read.get("data"))));
        assertFalse(storedArgs(ds).contains("********"), storedArgs(ds));

        // with nothing stored to keep, the mask is refused
        String plain = datastore(Map.of());
        String msg = error(400, editor.put("/api/1/datastore/" + plain, body(Map.of("name", "p-" + unique(),
                "engine_name", engine, "state", "ACTIVE", "args", Map.of("password", "********")))));
        assertTrue(msg.contains("/data/args/password"), msg);
        ObjectNode back = (ObjectNode) reg.deepCopy();
        back.set("options_json_schema", tree(Map.of("type", "object", "properties",
                Map.of("password", Map.of("type", "string", "x-dart-secret", true)))));
        ok(admin().put("/api/1/engine/" + engineId, body(back)));
    }

    @Test
    void anEngineThatOthersNameKeepsItsName() {
        String other = "renamed_" + unique();
        String id = registerEngine(other, Map.of("type", "object"), Map.of("step", Map.of("type", "object")))
                .get("id").asText();
        ok(admin().post("/api/1/datastore", body(Map.of("name", "r", "engine_name", other, "state", "ACTIVE"))));
        ObjectNode data = (ObjectNode) ok(admin().get("/api/1/engine/" + id)).results().get("data").deepCopy();
        data.put("name", other + "_new");
        assertTrue(error(409, admin().put("/api/1/engine/" + id, body(data))).contains("renamed"));
        assertEquals(other, ok(admin().get("/api/1/engine/" + id)).results().path("data").path("name").asText());
    }

    @Test
    void theGraphShowsAnEngineKeyOnlyWhatItMayRead() {
        String ds = datastore(Map.of());
        String action = ok(admin().post("/api/1/datastore/" + ds + "/action",
                List.of(body(Map.of("name", "secret-step-name", "action_type_name", "step"))))).results().get(0)
                .get("id").asText();
        ApiClient stranger = as("engine", "some_other_engine_" + unique());
        error(403, stranger.get("/api/1/action/" + action));
        error(403, stranger.get("/api/1/graph/action/" + action));
        String around = ok(stranger.get("/api/1/graph/datastore/" + ds)).responseBody();
        assertFalse(around.contains(action) || around.contains("secret-step-name"), around);
        assertTrue(ok(admin().get("/api/1/graph/datastore/" + ds)).responseBody().contains(action));
    }

    @Test
    void anAdminsPollGetsSecretsMasked() throws Exception {
        String ds = datastore(Map.of("password", "polled-secret"));
        String action = ok(admin().post("/api/1/datastore/" + ds + "/action", List.of(body(Map.of("name", "p",
                "action_type_name", "step"))))).results().get(0).get("id").asText();
        ok(admin().patch("/api/1/action/" + action, List.of(Map.of("op", "replace", "path", "/data/state",
                "value", "QUEUED"))));
        Exchange polled = admin().post("/api/1/engine/" + engine + "/action/poll", Map.of("wait_seconds", 5));
        assertEquals(200, polled.status(), polled.responseBody());
        assertFalse(polled.responseBody().contains("polled-secret"), polled.responseBody());
        assertEquals("********", polled.results().path("datastore").path("data").path("args").path("password").asText());
    }

    private HttpResponse<String> raw(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((ADMIN_KEY + ":" + ADMIN_SECRET).getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodiesThatAreNotJsonTextAreRefused() throws Exception {
        byte[] event = ("{\"data\": {\"name\": \"ev-" + unique() + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertEquals(415, raw("POST", "/api/1/event", event, "text/plain").statusCode());
        HttpResponse<String> untyped = raw("POST", "/api/1/event", event, null);
        assertEquals(415, untyped.statusCode(), untyped.body());
        assertTrue(untyped.body().contains("Content-Type"), untyped.body());

        for (String notAnObject : List.of("\"x\"", "[]", "3")) {
            HttpResponse<String> r = raw("POST", "/api/1/engine/" + engine + "/action/poll",
                    notAnObject.getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(400, r.statusCode(), notAnObject + " -> " + r.body());
        }

        HttpResponse<String> surrogate = raw("POST", "/api/1/event",
                "{\"data\": {\"name\": \"lone \\ud800 surrogate\"}}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(400, surrogate.statusCode(), surrogate.body());
        assertTrue(surrogate.body().contains("/data/name"), surrogate.body());
        byte[] latin1 = "{\"data\": {\"name\": \"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> notUtf8 = raw("POST", "/api/1/event", latin1, "application/json");
        assertEquals(400, notUtf8.statusCode(), notUtf8.body());
        assertTrue(notUtf8.body().contains("UTF-8"), notUtf8.body());
    }
}

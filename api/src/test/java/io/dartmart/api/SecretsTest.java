package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** x-dart-secret values: encrypted in the table, masked in every answer, in clear only for the engine at checkout. */
@MicronautTest
class SecretsTest extends ApiTestBase {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOKEN = "tok-1234567890";
    private ApiClient api;
    private String engine;

    @BeforeAll
    void setUp() {
        api = admin();
        engine = "secret_engine_" + unique();
        registerEngine(engine, Map.of("type", "object", "properties", Map.of(
                        "user", Map.of("type", "string"),
                        "password", Map.of("type", "string", "x-dart-secret", true))),
                Map.of("call", Map.of("type", "object", "properties", Map.of(
                        "token", Map.of("type", "string", "minLength", 5, "x-dart-secret", true)))));
    }

    private static String storedData(String table, String id) throws Exception {
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "SELECT data::text FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void secretsAreEncryptedAtRestAndNeverAnswered() throws Exception {
        JsonNode ds = ok(api.post("/api/1/datastore", body(Map.of("name", "s", "engine_name", engine, "state", "ACTIVE",
                "args", Map.of("user", "bob", "password", PASSWORD))))).results();
        String id = ds.get("id").asText();
        assertEquals("********", ds.path("data").path("args").path("password").asText());
        assertEquals("bob", ds.path("data").path("args").path("user").asText());

        String stored = storedData("datastore", id);
        assertFalse(stored.contains(PASSWORD), stored);
        assertTrue(stored.contains("dart-secret:v1:"), stored);

        String listing = ok(api.get("/api/1/datastore", Map.of("filters", "[\"id = " + id + "\"]"))).responseBody();
        assertFalse(listing.contains(PASSWORD) || listing.contains("dart-secret:v1:"), listing);
        String single = ok(api.get("/api/1/datastore/" + id)).responseBody();
        assertFalse(single.contains(PASSWORD) || single.contains("dart-secret:v1:"), single);
    }

    @Test
    void sendingTheMaskBackKeepsTheStoredSecret() throws Exception {
        JsonNode ds = ok(api.post("/api/1/datastore", body(Map.of("name", "s", "engine_name", engine, "state", "ACTIVE",
                "args", Map.of("user", "bob", "password", PASSWORD))))).results();
        String id = ds.get("id").asText();
        ObjectNode data = ds.get("data").deepCopy();
        ((ObjectNode) data.get("args")).put("user", "alice");
        ok(api.put("/api/1/datastore/" + id, Map.of("data", data)));
        JsonNode action = ok(api.post("/api/1/datastore/" + id + "/action",
                body(Map.of("name", "c", "action_type_name", "call", "args", Map.of("token", TOKEN))))).results().get(0);
        assertEquals("********", action.path("data").path("args").path("token").asText());
        assertFalse(storedData("action", action.get("id").asText()).contains(TOKEN));

        // only the engine that checks the action out sees the secrets in clear
        String actionId = action.get("id").asText();
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
                "UPDATE action SET data = jsonb_set(data, '{state}', '\"PENDING\"') WHERE id = ?")) {
            ps.setString(1, actionId);
            ps.executeUpdate();
        }
        JsonNode checkout = ok(as("engine", engine).put("/api/1/engine/action/" + actionId + "/checkout", null)).results();
        assertEquals(PASSWORD, checkout.path("datastore").path("data").path("args").path("password").asText());
        assertEquals("alice", checkout.path("datastore").path("data").path("args").path("user").asText());
        assertEquals(TOKEN, checkout.path("action").path("data").path("args").path("token").asText());
    }

    @Test
    void secretsStillFollowTheSchema() {
        JsonNode ds = ok(api.post("/api/1/datastore", body(Map.of("name", "s", "engine_name", engine,
                "args", Map.of("password", PASSWORD))))).results();
        String msg = error(400, api.post("/api/1/datastore/" + ds.get("id").asText() + "/action",
                body(Map.of("name", "c", "action_type_name", "call", "args", Map.of("token", "abc")))));
        assertTrue(msg.startsWith("/data/args/token"), msg);
        assertFalse(msg.contains("abc") && msg.contains("dart-secret"), msg);
    }

    @Test
    void clientsCannotPlantTextThatLooksEncrypted() {
        String msg = error(400, api.post("/api/1/event", body(Map.of("name", "e",
                "description", "dart-secret:v1:AAAA"))));
        assertTrue(msg.startsWith("/data/description"), msg);
    }

    @Test
    void apiKeySecretsAreStoredHashed() throws Exception {
        JsonNode key = ok(api.post("/api/1/api_key", body(Map.of("user_id", "h@example.com", "role", "viewer"))))
                .results();
        String secret = key.path("data").path("secret").asText();
        assertTrue(secret.length() >= 32);
        assertFalse(storedData("api_key", key.get("id").asText()).contains(secret));
        String listed = ok(api.get("/api/1/api_key", Map.of("limit", "1000"))).responseBody();
        assertFalse(listed.contains(secret));
        assertTrue(ok(api.get("/api/1/api_key/" + key.get("id").asText())).results().path("data").path("secret")
                .isMissingNode());
        List<String> roles = List.of("admin", "editor", "viewer", "engine");
        assertTrue(roles.contains(key.path("data").path("role").asText()));
    }
}

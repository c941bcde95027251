package io.dartmart.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.testing.TestDatabase;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The base of API tests: a real server on a random port over the shared test PostgreSQL, with the admin key
 * that {@code DART_BOOTSTRAP_KEY} creates on a fresh database. Subclasses carry {@code @MicronautTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ApiTestBase implements TestPropertyProvider {
    public static final String ADMIN_KEY = "test-admin";
    public static final String ADMIN_SECRET = "test-admin-secret-0123456789";
    public static final String ADMIN_USER = "admin@dart.local";
    /** A fixed key, so that the shared database stays readable by every test class. */
    public static final String SECRETS_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Inject
    protected EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestDatabase.datasourceProperties());
        p.put("micronaut.server.port", "-1");
        p.put("dart.secrets.key", SECRETS_KEY);
        p.put("dart.bootstrap-key", ADMIN_KEY + ":" + ADMIN_SECRET);
        p.put("dart.metrics.entity-refresh", "1s");
        return p;
    }

    protected URI base() {
        return server.getURI();
    }

    protected ApiClient admin() {
        return ApiClient.basic(base(), ADMIN_KEY, ADMIN_SECRET);
    }

    /** A client holding a new key of {@code role}. */
    protected ApiClient as(String role) {
        return as(role, null);
    }

    protected ApiClient as(String role, String engineName) {
        var data = Json.object().put("user_id", role + "-" + unique() + "@example.com").put("role", role);
        if (engineName != null) {
            data.put("engine_name", engineName);
        }
        Exchange created = ok(admin().post("/api/1/api_key", Map.of("data", data)));
        return admin().withKey(created.results());
    }

    protected static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    protected static Exchange ok(Exchange ex) {
        assertEquals(200, ex.status(), () -> ex.method() + " " + ex.path() + " -> " + ex.responseBody());
        return ex;
    }

    /** Asserts the status and that the body is the JSON error body; answers its message. */
    protected static String error(int status, Exchange ex) {
        assertEquals(status, ex.status(), () -> ex.method() + " " + ex.path() + " -> " + ex.responseBody());
        assertEquals("ERROR", ex.json().path("results").asText(), ex.responseBody());
        return ex.errorMessage();
    }

    protected static Map<String, Object> body(Object data) {
        return Map.of("data", data);
    }

    protected static JsonNode tree(Object value) {
        return Json.MAPPER.valueToTree(value);
    }

    protected static Connection jdbc() throws SQLException {
        return DriverManager.getConnection(TestDatabase.jdbcUrl());
    }

    /** A workflow (with {@code workflow}'s fields) on a new TEMPLATE datastore of {@code engine}; answers its id. */
    protected String workflowOnTemplate(String engine, Map<String, Object> workflow) {
        String ds = ok(admin().post("/api/1/datastore", body(Map.of("name", "d", "engine_name", engine,
                "state", "TEMPLATE")))).results().get("id").asText();
        return ok(admin().post("/api/1/datastore/" + ds + "/workflow", body(workflow))).results().get("id").asText();
    }

    /** Registers an engine with the given options schema and action types; answers its envelope. */
    protected JsonNode registerEngine(String name, Object optionsSchema, Map<String, Object> actionTypes) {
        var types = Json.array();
        actionTypes.forEach((typeName, schema) -> types.addObject().put("name", typeName)
                .set("params_json_schema", tree(schema)));
        var data = Json.object().put("name", name).put("description", "test engine");
        data.set("options_json_schema", tree(optionsSchema));
        data.set("supported_action_types", types);
        return ok(admin().post("/api/1/engine", Map.of("data", data))).results();
    }
}

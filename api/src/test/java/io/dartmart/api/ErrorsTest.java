package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error is the JSON error body with the right status and a message that says what was wrong, and where. */
@MicronautTest
class ErrorsTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiClient api;
    private String engine;

    @BeforeAll
    void setUp() {
        api = admin();
        engine = "errors_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("noop", Map.of("type", "object")));
    }

    private record Raw(int status, String contentType, String body) {
        JsonNode json() {
            assertNotNull(contentType, "an error answer has a Content-Type");
            assertTrue(contentType.startsWith("application/json"), "a JSON error body, not " + contentType + ": " + body);
            return Json.parseTrusted(body);
        }
    }

    /**
     * A call made outside the contract check, as the admin, for requests that openapi.yaml itself rejects (an unknown
     * route, a method the route lacks, a query or body that breaks the request schema): the contract check would stop
     * at the request before the server's answer could be asserted. The answer's shape is asserted by {@link #errorOf}.
     */
    private Raw raw(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (ADMIN_KEY + ":" + ADMIN_SECRET).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Raw(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    }

    /** Asserts the status and the error body of a direct call; answers the message. */
    private static String errorOf(int status, Raw r) {
        assertEquals(status, r.status(), r::body);
        JsonNode json = r.json();
        assertEquals("ERROR", json.path("results").asText(), r.body());
        assertTrue(json.path("error_message").isTextual(), r.body());
        assertEquals(2, json.size(), "only results and error_message: " + r.body());
        return json.path("error_message").asText();
    }

    @Test
    void unknownIdIs404NamingTheId() {
        for (String entity : List.of("datastore", "workflow", "event", "trigger", "action", "engine", "dataset")) {
            String id = "missing" + unique();
            String msg = error(404, api.get("/api/1/" + entity + "/" + id));
            assertTrue(msg.contains(id), entity + ": " + msg);
        }
        String id = "missing" + unique();
        String msg = error(404, api.put("/api/1/event/" + id, body(Map.of("name", "x"))));
        assertTrue(msg.contains(id), msg);
        msg = error(404, api.delete("/api/1/event/" + id));
        assertTrue(msg.contains(id), msg);
    }

    @Test
    void unknownRouteIs404Json() throws Exception {
        // GET /api/1/nope is in no contract (it is a route that does not exist), so the call is made directly
        String msg = errorOf(404, raw("GET", "/api/1/nope", null));
        assertTrue(msg.contains("/api/1/nope"), msg);
        // a path no controller pattern matches at all is Micronaut's own 404, still in the JSON error body
        errorOf(404, raw("GET", "/api/1/nope/deeper/still", null));
        errorOf(404, raw("POST", "/api/1/nope/deeper/still", "{}"));
    }

    @Test
    void anUnmatchedPathIs404NamingTheRoute() throws Exception {
        // direct call: the route is in no contract
        String msg = errorOf(404, raw("GET", "/api/1/nope/deeper/still", null));
        assertTrue(msg.contains("GET") && msg.contains("/api/1/nope/deeper/still"), msg);
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() throws Exception {
        // malformed JSON breaks the contract's request body, so the call is made directly
        Raw r = raw("POST", "/api/1/event", "{\"data\": {\"name\": \"x\",\n \"description\": }}");
        String msg = errorOf(400, r);
        assertTrue(msg.contains("malformed JSON"), msg);
        assertTrue(msg.contains("line 2") && msg.contains("column"), msg);
    }

    @Test
    void aBodyThatIsNotADataEnvelopeIs400NamingData() throws Exception {
        // a body without "data" breaks the contract's request schema, so these calls are made directly
        String msg = errorOf(400, raw("POST", "/api/1/event", "{\"name\": \"x\"}"));
        assertTrue(msg.contains("/data"), msg);
        msg = errorOf(400, raw("POST", "/api/1/event", "{\"data\": [1, 2]}"));
        assertTrue(msg.contains("/data"), msg);
        msg = errorOf(400, raw("POST", "/api/1/event", "[{\"data\": {\"name\": \"x\"}}]"));
        assertTrue(msg.contains("data"), msg);
    }

    @Test
    void aWrongTypeIs400NamingThePointer() throws Exception {
        // "concurrency": "x" breaks the contract's request schema, so the call is made directly
        String name = "wrong-type-" + unique();
        String msg = errorOf(400, raw("POST", "/api/1/datastore", Json.write(tree(body(Map.of("name", name,
                "engine_name", engine, "concurrency", "x"))))));
        assertTrue(msg.contains("/data/concurrency"), msg);
        assertEquals(0, ok(api.get("/api/1/datastore", Map.of("filters", "[\"name = " + name + "\"]")))
                .json().get("total").asInt());
    }

    @Test
    void unknownFilterOperatorIs400NamingIt() {
        String msg = error(400, api.get("/api/1/event", Map.of("filters", "[\"name ?? x\"]")));
        assertTrue(msg.contains("'??'"), msg);
        msg = error(400, api.get("/api/1/event", Map.of("filters", "not json")));
        assertTrue(msg.contains("filters"), msg);
        msg = error(400, api.get("/api/1/action", Map.of("order_by", "[\"name SIDEWAYS\"]")));
        assertTrue(msg.contains("SIDEWAYS"), msg);
    }

    @Test
    void badLimitIs400() throws Exception {
        // limit=abc and limit=-1 break the contract's query schema, so these calls are made directly
        for (String limit : List.of("abc", "-1", "10001", "1.5")) {
            String msg = errorOf(400, raw("GET", "/api/1/event?limit=" + limit, null));
            assertTrue(msg.contains("limit") && msg.contains(limit), msg);
        }
        String msg = errorOf(400, raw("GET", "/api/1/event?offset=-3", null));
        assertTrue(msg.contains("offset"), msg);
    }

    @Test
    void oversizedBodyIs413Json() throws Exception {
        // an 11 MB request is sent directly: the contract check would keep a copy of it for no benefit
        String big = "x".repeat(11 * 1024 * 1024);
        Raw r = raw("POST", "/api/1/event", "{\"data\": {\"name\": \"big\", \"description\": \"" + big + "\"}}");
        errorOf(413, r);
        assertEquals(0, ok(api.get("/api/1/event", Map.of("filters", "[\"name = big\"]"))).json().get("total").asInt(),
                "nothing was stored");
    }

    @Test
    void wrongMethodIs405Json() throws Exception {
        // PATCH /api/1/trigger_type is not in the contract (that is the point), so the call is made directly
        errorOf(405, raw("PATCH", "/api/1/trigger_type", "[]"));
        errorOf(405, raw("DELETE", "/api/1/trigger_type", null));
    }

    @Test
    void aFailedListCreateLeavesNothingBehind() {
        JsonNode ds = ok(api.post("/api/1/datastore", body(Map.of("name", "tx-" + unique(), "engine_name", engine,
                "state", "TEMPLATE")))).results();
        String wfId = ok(api.post("/api/1/datastore/" + ds.get("id").asText() + "/workflow",
                body(Map.of("name", "tx-wf")))).results().get("id").asText();
        String msg = error(400, api.post("/api/1/workflow/" + wfId + "/action", List.of(
                body(Map.of("name", "fine", "action_type_name", "noop")),
                body(Map.of("name", "broken", "action_type_name", "no_such_type")))));
        assertTrue(msg.contains("no_such_type"), msg);
        assertEquals(0, ok(api.get("/api/1/action", Map.of("workflow_id", wfId))).json().get("total").asInt(),
                "the list is one transaction: the first action is not left behind");

        JsonNode active = ok(api.post("/api/1/datastore", body(Map.of("name", "tx-" + unique(), "engine_name", engine,
                "state", "ACTIVE")))).results();
        String dsMsg = error(400, api.post("/api/1/datastore/" + active.get("id").asText() + "/action", List.of(
                body(Map.of("name", "fine", "action_type_name", "noop")),
                body(Map.of("name", "broken", "action_type_name", "no_such_type")))));
        assertTrue(dsMsg.contains("no_such_type"), dsMsg);
        assertEquals(0, ok(api.get("/api/1/action", Map.of("datastore_id", active.get("id").asText())))
                .json().get("total").asInt());
    }
}

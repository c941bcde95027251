package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys, the two ways of sending them, revocation, and what each role may do. */
@MicronautTest
class AuthTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A call outside the contract check, for what {@link ApiClient} cannot send or cannot show (headers). */
    private HttpResponse<String> raw(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a key as admin; answers the creation envelope, which carries the secret. */
    private JsonNode newKey(String userId, String role, String engineName) {
        ObjectNode data = Json.object().put("user_id", userId).put("role", role);
        if (engineName != null) {
            data.put("engine_name", engineName);
        }
        return ok(admin().post("/api/1/api_key", body(data))).results();
    }

    private static ApiClient clientOf(java.net.URI base, JsonNode key) {
        return ApiClient.basic(base, key.path("data").path("key").asText(), key.path("data").path("secret").asText());
    }

    private JsonNode datastoreOf(ApiClient api, String engine) {
        return ok(api.post("/api/1/datastore", body(Map.of("name", "auth-ds-" + unique(), "engine_name", engine,
                "state", "ACTIVE")))).results();
    }

    // ---------------------------------------------------------------- credentials

    @Test
    void noCredentialsIs401WithAJsonBodyAndAChallenge() throws Exception {
        String msg = error(401, ApiClient.anonymous(base()).get("/api/1/event"));
        assertTrue(msg.contains("API key"), msg);

        HttpResponse<String> r = raw("/api/1/event", null);
        assertEquals(401, r.statusCode());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
        assertNotNull(challenge, "a 401 carries WWW-Authenticate");
        assertTrue(challenge.startsWith("Basic"), challenge);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("ERROR", Json.parseTrusted(r.body()).path("results").asText());
    }

    @Test
    void wrongSecretOrUnknownKeyIs401() {
        error(401, ApiClient.basic(base(), ADMIN_KEY, "not-the-admin-secret-000").get("/api/1/event"));
        error(401, ApiClient.bearer(base(), ADMIN_KEY, "not-the-admin-secret-000").get("/api/1/event"));
        error(401, ApiClient.basic(base(), "no-such-key-" + unique(), ADMIN_SECRET).get("/api/1/event"));
    }

    @Test
    void basicAndBearerBothWork() {
        assertTrue(ok(ApiClient.basic(base(), ADMIN_KEY, ADMIN_SECRET).get("/api/1/event")).json().has("total"));
        assertTrue(ok(ApiClient.bearer(base(), ADMIN_KEY, ADMIN_SECRET).get("/api/1/event")).json().has("total"));
    }

    @Test
    void urlEncodedBasicCredentialsStillWork() throws Exception {
        // ApiClient cannot send a custom Authorization header, so this call is made directly (no contract check)
        String encodedPair = URLEncoder.encode(ADMIN_KEY, StandardCharsets.UTF_8) + "%3A"
                + URLEncoder.encode(ADMIN_SECRET, StandardCharsets.UTF_8);
        assertTrue(encodedPair.contains("%3A"));
        String header = "Basic " + Base64.getEncoder().encodeToString(encodedPair.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = raw("/api/1/event", header);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Json.parseTrusted(r.body()).has("total"), r.body());
    }

    // ---------------------------------------------------------------- keys

    @Test
    void whoamiTellsEveryRoleItsOwnUserAndRole() {
        String user = "who-" + unique() + "@example.com";
        JsonNode viewer = ok(clientOf(base(), newKey(user, "viewer", null)).get("/api/1/whoami")).results();
        assertEquals(user, viewer.get("user_id").asText());
        assertEquals("viewer", viewer.get("role").asText());
        assertFalse(viewer.has("engine_name"));
        JsonNode engine = ok(clientOf(base(), newKey(user, "engine", "who_engine")).get("/api/1/whoami")).results();
        assertEquals("engine", engine.get("role").asText());
        assertEquals("who_engine", engine.get("engine_name").asText());
        error(401, ApiClient.anonymous(base()).get("/api/1/whoami"));
    }

    @Test
    void aNewKeyShowsItsSecretOnceAndListsNeverShowSecretsOrHashes() {
        String user = "lister-" + unique() + "@example.com";
        JsonNode created = newKey(user, "viewer", null);
        String id = created.get("id").asText();
        String key = created.path("data").path("key").asText();
        String secret = created.path("data").path("secret").asText();
        assertFalse(key.isEmpty());
        assertFalse(secret.isEmpty());
        assertEquals(user, created.path("data").path("user_id").asText());
        assertEquals("viewer", created.path("data").path("role").asText());

        Exchange one = ok(admin().get("/api/1/api_key/" + id));
        assertEquals(key, one.results().path("data").path("key").asText());
        assertNoSecret(one.results().get("data"), secret, one.responseBody());

        Exchange list = ok(admin().get("/api/1/api_key", Map.of("filters", "[\"user_id = " + user + "\"]")));
        assertEquals(1, list.json().get("total").asInt());
        assertEquals(id, list.results().get(0).get("id").asText());
        Exchange all = ok(admin().get("/api/1/api_key", Map.of("limit", "10000")));
        assertTrue(all.results().size() >= 2);
        for (JsonNode k : all.results()) {
            assertNoSecret(k.get("data"), secret, all.responseBody());
        }
    }

    private static void assertNoSecret(JsonNode data, String secret, String wholeBody) {
        assertFalse(data.has("secret"), data.toString());
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String f = it.next().toLowerCase(java.util.Locale.ROOT);
            assertFalse(f.contains("hash") || f.contains("sha") || f.contains("secret"),
                    "no stored form of the secret is shown: " + f);
        }
        assertFalse(wholeBody.contains(secret), "the secret never appears again");
    }

    @Test
    void aRevokedKeyIsRefusedOnTheVeryNextRequest() {
        JsonNode created = newKey("revoked-" + unique() + "@example.com", "editor", null);
        ApiClient api = clientOf(base(), created);
        ok(api.get("/api/1/event"));
        assertEquals("OK", ok(admin().delete("/api/1/api_key/" + created.get("id").asText())).results().asText());
        error(401, api.get("/api/1/event"));
        error(404, admin().get("/api/1/api_key/" + created.get("id").asText()));
    }

    @Test
    void entitiesCarryTheUserIdOfTheKeyThatCreatedThem() {
        String user = "author-" + unique() + "@example.com";
        ApiClient api = clientOf(base(), newKey(user, "editor", null));
        JsonNode event = ok(api.post("/api/1/event", body(Map.of("name", "authored-" + unique())))).results();
        assertEquals(user, event.path("data").path("user_id").asText());
        assertEquals(user, ok(admin().get("/api/1/event/" + event.get("id").asText())).results()
                .path("data").path("user_id").asText());

        // a user_id the client sends is the server's field: it is overwritten, not trusted
        JsonNode spoofed = ok(api.post("/api/1/event", body(Map.of("name", "spoof-" + unique(),
                "user_id", ADMIN_USER)))).results();
        assertEquals(user, spoofed.path("data").path("user_id").asText());
    }

    // ---------------------------------------------------------------- roles

    @Test
    void viewerReadsButNeverWrites() {
        JsonNode event = ok(admin().post("/api/1/event", body(Map.of("name", "viewed-" + unique())))).results();
        String id = event.get("id").asText();
        ApiClient viewer = as("viewer");
        for (String list : List.of("/api/1/event", "/api/1/datastore", "/api/1/workflow", "/api/1/trigger",
                "/api/1/action", "/api/1/engine", "/api/1/dataset", "/api/1/subscription")) {
            assertTrue(ok(viewer.get(list)).json().has("total"), list);
        }
        ok(viewer.get("/api/1/trigger_type"));
        assertEquals(id, ok(viewer.get("/api/1/event/" + id)).results().get("id").asText());

        error(403, viewer.post("/api/1/event", body(Map.of("name", "nope"))));
        ObjectNode data = event.get("data").deepCopy();
        data.put("description", "changed by a viewer");
        error(403, viewer.put("/api/1/event/" + id, Map.of("data", data)));
        error(403, viewer.delete("/api/1/event/" + id));
        error(403, viewer.get("/api/1/api_key"));
        assertEquals(event.get("version_id"), ok(admin().get("/api/1/event/" + id)).results().get("version_id"),
                "a refused write changed nothing");
    }

    @Test
    void editorWritesEntitiesButNotEnginesNorKeys() {
        String engine = "auth_editor_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("noop", Map.of("type", "object")));
        ApiClient editor = as("editor");

        JsonNode ds = datastoreOf(editor, engine);
        JsonNode wf = ok(editor.post("/api/1/datastore/" + ds.get("id").asText() + "/workflow",
                body(Map.of("name", "editor-wf")))).results();
        ok(editor.post("/api/1/trigger", body(Map.of("name", "editor-cron", "trigger_type_name", "scheduled",
                "workflow_ids", List.of(wf.get("id").asText()), "args", Map.of("cron_pattern", "0 10 * * ? *")))));
        String eventId = ok(editor.post("/api/1/event", body(Map.of("name", "editor-event")))).results()
                .get("id").asText();
        assertEquals("OK", ok(editor.delete("/api/1/event/" + eventId)).results().asText());

        String refused = error(403, editor.post("/api/1/engine", body(Map.of("name", "editor_made_" + unique()))));
        assertTrue(refused.contains("editor"), refused);
        JsonNode registered = ok(admin().get("/api/1/engine", Map.of("filters", "[\"name = " + engine + "\"]")))
                .results().get(0);
        error(403, editor.put("/api/1/engine/" + registered.get("id").asText(),
                Map.of("data", registered.get("data"))));
        error(403, editor.delete("/api/1/engine/" + registered.get("id").asText()));
        error(403, editor.get("/api/1/api_key"));
        error(403, editor.post("/api/1/api_key", body(Map.of("user_id", "x@example.com", "role", "admin"))));
    }

    @Test
    void adminWritesEntitiesEnginesAndKeys() {
        String engine = "auth_admin_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("noop", Map.of("type", "object")));
        datastoreOf(admin(), engine);
        JsonNode key = newKey("made-by-admin-" + unique() + "@example.com", "viewer", null);
        ok(admin().get("/api/1/api_key/" + key.get("id").asText()));
    }

    @Test
    void engineKeyRegistersOnlyItselfAndSeesOnlyItsOwnActions() {
        String mine = "auth_own_engine_" + unique();
        ApiClient engineApi = as("engine", mine);

        // registration with its own name, then re-registration by PUT
        var types = List.of(Map.of("name", "noop", "params_json_schema", Map.of("type", "object")));
        JsonNode registered = ok(engineApi.post("/api/1/engine", body(Map.of("name", mine,
                "description", "v1", "options_json_schema", Map.of("type", "object"),
                "supported_action_types", types)))).results();
        String engineId = registered.get("id").asText();
        ObjectNode data = registered.get("data").deepCopy();
        data.put("description", "v2");
        JsonNode reRegistered = ok(engineApi.put("/api/1/engine/" + engineId, Map.of("data", data))).results();
        assertEquals("v2", reRegistered.path("data").path("description").asText());

        // not another engine
        String otherName = "auth_other_engine_" + unique();
        String msg = error(403, engineApi.post("/api/1/engine", body(Map.of("name", otherName))));
        assertTrue(msg.contains(otherName), msg);
        assertEquals(0, ok(admin().get("/api/1/engine", Map.of("filters", "[\"name = " + otherName + "\"]")))
                .json().get("total").asInt(), "the refused registration left nothing");
        JsonNode other = registerEngine(otherName, Map.of("type", "object"), Map.of("noop", Map.of("type", "object")));
        ObjectNode renamed = data.deepCopy();
        renamed.put("name", otherName);
        error(403, engineApi.put("/api/1/engine/" + other.get("id").asText(), Map.of("data", other.get("data"))));
        error(403, engineApi.put("/api/1/engine/" + engineId, Map.of("data", renamed)));

        // no other writes
        error(403, engineApi.post("/api/1/datastore", body(Map.of("name", "engine-made", "engine_name", mine))));

        // actions: its own, not the other engine's
        JsonNode myDs = datastoreOf(admin(), mine);
        JsonNode otherDs = datastoreOf(admin(), otherName);
        JsonNode myAction = ok(admin().post("/api/1/datastore/" + myDs.get("id").asText() + "/action",
                body(Map.of("name", "mine", "action_type_name", "noop")))).results().get(0);
        JsonNode otherAction = ok(admin().post("/api/1/datastore/" + otherDs.get("id").asText() + "/action",
                body(Map.of("name", "theirs", "action_type_name", "noop")))).results().get(0);

        Exchange listed = ok(engineApi.get("/api/1/action", Map.of("limit", "10000")));
        List<String> ids = new ArrayList<>();
        for (JsonNode a : listed.results()) {
            ids.add(a.get("id").asText());
            assertEquals(mine, a.path("data").path("engine_name").asText(), "an engine key sees only its actions");
        }
        assertTrue(ids.contains(myAction.get("id").asText()), ids.toString());
        assertFalse(ids.contains(otherAction.get("id").asText()), ids.toString());
        assertEquals(0, ok(engineApi.get("/api/1/action", Map.of("datastore_id", otherDs.get("id").asText())))
                .json().get("total").asInt(), "filters cannot widen what an engine key sees");
        assertEquals(1, ok(admin().get("/api/1/action", Map.of("datastore_id", otherDs.get("id").asText())))
                .json().get("total").asInt());

        ObjectNode mineData = myAction.get("data").deepCopy();
        mineData.put("progress", "0.5");
        ok(engineApi.put("/api/1/action/" + myAction.get("id").asText(), Map.of("data", mineData)));
        ObjectNode theirData = otherAction.get("data").deepCopy();
        theirData.put("progress", "0.5");
        String refused = error(403, engineApi.put("/api/1/action/" + otherAction.get("id").asText(),
                Map.of("data", theirData)));
        assertTrue(refused.contains(otherName), refused);
        error(403, engineApi.get("/api/1/action/" + otherAction.get("id").asText()));
        assertEquals(otherAction.get("version_id"), ok(admin().get("/api/1/action/" + otherAction.get("id").asText()))
                .results().get("version_id"), "the refused PUT changed nothing");

        // and never keys
        error(403, engineApi.get("/api/1/api_key"));
    }

    @Test
    void editorCannotReachEngineRoutesThroughEquivalentPaths() throws Exception {
        String engine = "auth_paths_engine_" + unique();
        JsonNode registered = registerEngine(engine, Map.of("type", "object"), Map.of("noop", Map.of("type", "object")));
        String engineId = registered.get("id").asText();
        String actionId = ok(admin().post("/api/1/datastore/" + datastoreOf(admin(), engine).get("id").asText()
                + "/action", body(Map.of("name", "a", "action_type_name", "noop")))).results().get(0).get("id").asText();
        JsonNode editorKey = newKey("paths-" + unique() + "@example.com", "editor", null);
        String editor = "Basic " + Base64.getEncoder().encodeToString((editorKey.path("data").path("key").asText() + ":"
                + editorKey.path("data").path("secret").asText()).getBytes(StandardCharsets.UTF_8));
        String reRegister = "{\"data\": {\"name\": \"" + engine + "\", \"description\": \"hijacked\"}}";

        // these paths are outside the contract (that is the point), so the calls are made directly
        List<String[]> calls = List.of(
                new String[]{"POST", "/api/1/engine/", "{\"data\": {\"name\": \"editor_made_" + unique() + "\"}}"},
                new String[]{"POST", "/api/1/%65ngine", "{\"data\": {\"name\": \"editor_made_" + unique() + "\"}}"},
                new String[]{"PUT", "/api/1/engine/" + engineId + "/", reRegister},
                new String[]{"DELETE", "/api/1/engine/" + engineId + "/", null},
                new String[]{"PUT", "/api/1/engine/action/" + actionId + "/checkout/", "{}"},
                new String[]{"PUT", "/api/1/engine/action/" + actionId + "/checkin/", "{\"state\": \"SUCCESS\"}"});
        List<String> passed = new ArrayList<>();
        for (String[] c : calls) {
            HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(
                            base().toString().replaceAll("/$", "") + c[1])).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json").header("Authorization", editor)
                    .method(c[0], c[2] == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(c[2]));
            if (c[2] != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            // 404: a spelling that the engine routes do not match reaches no route that writes engines
            if (r.statusCode() != 403 && r.statusCode() != 404) {
                passed.add(c[0] + " " + c[1] + " -> " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), passed, "an editor key is refused on engine routes however the path is spelt");
        assertEquals(registered.get("version_id"), ok(admin().get("/api/1/engine/" + engineId)).results()
                .get("version_id"), "the engine was not re-registered");
    }
}

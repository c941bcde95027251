package io.dartmart.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.testing.Await;
import io.dartmart.domain.testing.TestDatabase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The end-to-end tests' way into the API: starts it in-process on the shared test database with a known admin key,
 * and calls it over HTTP as that admin, the way a user's script would.
 */
final class AdminApi {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ADMIN = "test-admin:test-admin-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    AdminApi(URI base) {
        this.base = base;
    }

    /** The API server on a free port and the shared test database, bootstrapped with this client's key. */
    static EmbeddedServer startServer(Map<String, ?> more) {
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.put("micronaut.server.port", "-1");
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        props.put("dart.bootstrap-key", ADMIN);
        props.putAll(more);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    /** An admin call that must answer 200; answers the body. */
    JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, body);
        assertEquals(200, r.statusCode(), () -> method + " " + path + " " + body + " -> " + r.statusCode() + " "
                + r.body());
        return MAPPER.readTree(r.body());
    }

    /** An admin call, whatever it answers. */
    HttpResponse<String> send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ADMIN.getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must answer 200, usable inside {@link Await#until} conditions and assertion messages. */
    JsonNode get(String path) {
        try {
            return call("GET", path, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs {@code {"data": data}} to a collection; answers the new entity's id. */
    String create(String path, Map<String, Object> data) throws IOException, InterruptedException {
        return call("POST", path, data(data)).path("results").path("id").asText();
    }

    /** The workflow's runs, oldest first. */
    JsonNode instances(String workflow) {
        return get("/api/1/workflow/" + workflow + "/instance?order_by="
                + URLEncoder.encode("[\"created ASC\"]", StandardCharsets.UTF_8)).get("results");
    }

    /** The run's actions in step order. */
    ArrayNode actionsOf(String instanceId) {
        return (ArrayNode) get("/api/1/action?workflow_instance_id=" + instanceId + "&order_by="
                + URLEncoder.encode("[\"order_idx ASC\"]", StandardCharsets.UTF_8)).get("results");
    }

    /** Waits for the workflow's {@code n}th run to end; it must end in {@code state}. */
    JsonNode awaitRun(String workflow, int n, String state, Duration deadline) {
        JsonNode[] last = new JsonNode[1];
        Await.until("run " + n + " of workflow " + workflow + " ends", deadline, () -> {
            JsonNode instances = instances(workflow);
            last[0] = instances.size() < n ? null : instances.get(n - 1);
            String now = last[0] == null ? "" : last[0].path("data").path("state").asText();
            return now.equals("COMPLETED") || now.equals("FAILED");
        });
        assertEquals(state, last[0].path("data").path("state").asText(),
                () -> last[0] + "; actions: " + actionsOf(last[0].get("id").asText()));
        return last[0];
    }

    /** The API's envelope for a body: {@code {"data": ...}}. */
    static ObjectNode data(Map<String, Object> data) {
        ObjectNode out = MAPPER.createObjectNode();
        out.set("data", MAPPER.valueToTree(data));
        return out;
    }
}

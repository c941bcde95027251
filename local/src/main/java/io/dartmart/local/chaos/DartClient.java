package io.dartmart.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The harness's way into the API, as a user's script with two API servers behind it would call it: each call goes to
 * the next server, and one that fails goes to the other. Every write answered 2xx is remembered as acknowledged,
 * so the checker can tell whether one was lost; a write without an answer is {@link Unanswered}.
 */
final class DartClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    /** A write the API acknowledged: what it wrote (a table and id, or a workflow's manual trigger). */
    record Ack(String kind, String id) {
    }

    /** A write sent but not answered: it may or may not have happened. */
    static final class Unanswered extends IOException {
        private static final long serialVersionUID = 1L;

        Unanswered(String message) {
            super(message);
        }
    }

    private final List<URI> servers;
    private final String authorization;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Ack> acks = new ArrayList<>();

    DartClient(List<URI> servers, String key) {
        this.servers = List.copyOf(servers);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs {@code {"data": data}}; answers the new entity's id, remembered as an acknowledged write to {@code table}. */
    String create(String table, String path, JsonNode data) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.set("data", data);
        String id = write("POST", path, body).path("results").path("id").asText();
        acknowledged(table, id);
        return id;
    }

    /** A write whose effect the checker finds otherwise (a manual trigger: a run); answers the body. */
    JsonNode write(String method, String path, JsonNode body) throws IOException, InterruptedException {
        IOException last = null;
        for (int tries = 0; tries < 2 * servers.size(); tries++) {
            URI server = servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
            HttpResponse<String> r;
            try {
                r = send(server, method, path, body);
            } catch (IOException e) {
                // a server that did not answer may still have written: a retry could write twice, so it is not sent
                if (!(e instanceof java.net.ConnectException)) {
                    throw new Unanswered(method + " " + path + ": " + e);
                }
                last = e;
                continue;
            }
            if (r.statusCode() / 100 == 2) {
                return JSON.readTree(r.body());
            }
            if (r.statusCode() < 500) {
                throw new IllegalStateException(method + " " + path + " " + body + " -> " + r.statusCode() + " "
                        + r.body());
            }
            last = new IOException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        throw last;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        for (int tries = 0; ; tries++) {
            URI server = servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
            try {
                HttpResponse<String> r = send(server, "GET", path, null);
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                if (tries >= 2 * servers.size()) {
                    throw new IOException("GET " + path + " -> " + r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                if (tries >= 2 * servers.size()) {
                    throw e;
                }
            }
        }
    }

    synchronized void acknowledged(String kind, String id) {
        acks.add(new Ack(kind, id));
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    private HttpResponse<String> send(URI server, String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", authorization).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

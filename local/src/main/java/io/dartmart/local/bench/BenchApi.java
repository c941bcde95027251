package io.dartmart.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.ApiMain;
import io.dartmart.domain.model.Json;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The benchmarks' client of the API, as the bootstrap admin, and the arithmetic they share. */
final class BenchApi {
    /** The bootstrap admin key a benchmark gives the API it starts ({@code dart.bootstrap-key}). */
    static final String ADMIN = "bench-admin:bench-admin-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI base;

    BenchApi(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** The whole answer of a GET: {@code results}, and {@code total} for a list. */
    JsonNode get(String path) throws Exception {
        return Json.parseTrusted(send(HttpRequest.newBuilder(base.resolve(path)).GET()));
    }

    /** The {@code results} of a POST. */
    JsonNode post(String path, Object body) throws Exception {
        return Json.parseTrusted(send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.MAPPER.valueToTree(body)))))).path("results");
    }

    /** A plain-text GET, such as {@code /metrics}. */
    String text(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/plain").GET());
    }

    private static String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The API in this JVM on {@code pg}, with the bootstrap admin key and {@code extra} settings. */
    static ApplicationContext startApi(EmbeddedPostgres pg, int port, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(Map.of("datasources.default.url", pg.getJdbcUrl("postgres", "postgres"),
                "datasources.default.username", "postgres", "datasources.default.password", "",
                "micronaut.server.port", port, "dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                "dart.bootstrap-key", ADMIN));
        properties.putAll(extra);
        return Micronaut.build(new String[0]).mainClass(ApiMain.class).banner(false).properties(properties).start();
    }

    /**
     * Removes the temporary directory a benchmark's database lived in, once the database has stopped and removed its
     * own data directory inside it, so that runs leave nothing behind.
     */
    static void removeWorkDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }

    /** A server timestamp of an entity's envelope or data. */
    static Instant time(JsonNode node, String field) {
        return OffsetDateTime.parse(node.path(field).asText()).toInstant();
    }

    /** The p-th percentile of sorted values, nearest rank. */
    static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

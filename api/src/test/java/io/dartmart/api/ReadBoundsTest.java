package io.dartmart.api;

import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.testing.Await;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads end: at dart.db.read-timeout, or as soon as their client goes away. A list of datasets is held up by a
 * lock another connection takes on the table, which stands for any long query.
 */
@MicronautTest
class ReadBoundsTest extends ApiTestBase {
    private static final long TIMEOUT_MS = 8000;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(super.getProperties());
        p.put("dart.db.read-timeout", TIMEOUT_MS + "ms");
        return p;
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN_KEY + ":" + ADMIN_SECRET)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** How many statements on the dataset table are waiting for the lock. */
    private static int waiting(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE query LIKE '%FROM dataset%' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection lockDatasets() throws SQLException {
        Connection lock = jdbc();
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
            s.execute("LOCK TABLE dataset IN ACCESS EXCLUSIVE MODE");
        }
        return lock;
    }

    @Test
    void aReadIsCancelledWhenItsClientDisconnects() throws Exception {
        try (Connection lock = lockDatasets(); Connection watch = jdbc()) {
            try (Socket client = new Socket(base().getHost(), base().getPort())) {
                OutputStream out = client.getOutputStream();
                out.write(("GET /api/1/dataset?limit=5 HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basic()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.until("the list waits for the lock", Duration.ofSeconds(20), () -> waiting(watch) == 1);
            }
            long closed = System.nanoTime();
            Await.until("the abandoned read is cancelled", Duration.ofSeconds(20), () -> waiting(watch) == 0);
            long tookMs = (System.nanoTime() - closed) / 1_000_000;
            assertTrue(tookMs < TIMEOUT_MS / 2, "cancelled " + tookMs + " ms after the client left, not by the timeout");
            lock.rollback();
        }
    }

    @Test
    void aReadThatOutlivesTheTimeoutAnswers503() throws Exception {
        try (Connection lock = lockDatasets()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base().resolve("/api/1/dataset"))
                    .header("Authorization", basic()).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("dart.db.read-timeout"), r.body());
            lock.rollback();
        }
    }

    @Test
    void aRequestWhoseDatabaseConnectionDiesAnswers503() throws Exception {
        try (Connection lock = lockDatasets(); Connection admin = jdbc()) {
            var pending = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(base().resolve("/api/1/dataset"))
                    .header("Authorization", basic()).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Await.until("the list waits for the lock", Duration.ofSeconds(20), () -> waiting(admin) == 1);
            try (Statement s = admin.createStatement()) {
                // what a database restart does to the connections it had
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%FROM dataset%'"
                        + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
            }
            HttpResponse<String> r = pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("the database cannot be reached or is restarting"), r.body());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            lock.rollback();
        }
    }
}

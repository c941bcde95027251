package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.store.Db;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.dartmart.triggers.notify.Fixtures.STORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run callback against a real HTTP server and a real database. */
class RunCallbackTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Db db;
    private RunCallback callback;

    @BeforeEach
    void setUp() {
        db = Fixtures.db();
        callback = new RunCallback(db, STORE, 5, Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        callback.close();
    }

    @Test
    void postsTheOutcomeOnce() throws Exception {
        try (var server = new Fixtures.CallbackServer(200)) {
            Entity wf = Fixtures.workflow("with callback", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, server.url("/hooks/dart"));
            JsonNode message = Fixtures.runEnded(run);

            callback.afterCommit(message);

            var r = server.next(WAIT);
            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(1, server.count());
            assertEquals("POST", r.method());
            assertEquals("/hooks/dart", r.path());
            assertTrue(r.header("Content-Type").startsWith("application/json"));
            assertEquals(message.get("message_id").asText(), r.header("X-Dart-Message-Id"));
            JsonNode body = r.body();
            assertEquals(Set.of("workflow_instance_id", "workflow_id", "state", "error_message", "start_time",
                    "end_time", "parameters"), fields(body));
            assertEquals(run.id(), body.get("workflow_instance_id").asText());
            assertEquals(wf.id(), body.get("workflow_id").asText());
            assertEquals("COMPLETED", body.get("state").asText());
            assertTrue(body.get("error_message").isNull());
            assertEquals("2026-11-22T10:00:01.000000+00:00", body.get("start_time").asText());
            assertEquals("2026-11-22T10:05:00.000000+00:00", body.get("end_time").asText());
            assertEquals("2026-11-21", body.get("parameters").get("day").asText());
            assertEquals(10, body.get("parameters").get("limit").asInt());
        }
    }

    @Test
    void failedRunCarriesItsError() throws Exception {
        try (var server = new Fixtures.CallbackServer(204)) {
            Entity wf = Fixtures.workflow("fails", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "FAILED", "step x failed", server.url("/cb"));

            callback.afterCommit(Fixtures.runEnded(run));

            JsonNode body = server.next(WAIT).body();
            assertEquals("FAILED", body.get("state").asText());
            assertEquals("step x failed", body.get("error_message").asText());
            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(1, server.count());
        }
    }

    @Test
    void retriesServerErrorsUntilASuccess() throws Exception {
        try (var server = new Fixtures.CallbackServer(500, 500, 200)) {
            Entity wf = Fixtures.workflow("flaky receiver", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, server.url("/cb"));
            JsonNode message = Fixtures.runEnded(run);

            callback.afterCommit(message);

            for (int i = 0; i < 3; i++) {
                server.next(WAIT);
            }
            assertTrue(callback.awaitIdle(WAIT), "the retries end after the 200");
            assertEquals(3, server.count(), "exactly three POSTs");
            List<String> attempts = server.all().stream().map(r -> r.header("X-Dart-Attempt")).toList();
            assertEquals(List.of("1", "2", "3"), attempts);
            assertEquals(1, server.all().stream().map(r -> r.header("X-Dart-Message-Id")).distinct().count(),
                    "every attempt carries the same message id");
            assertEquals(1, server.all().stream().map(Fixtures.CallbackServer.Request::body).distinct().count(),
                    "every attempt carries the same body");
        }
    }

    @Test
    void retriesTimeoutsAndRateLimits() throws Exception {
        try (var server = new Fixtures.CallbackServer(408, 429, 503, 201)) {
            Entity wf = Fixtures.workflow("busy receiver", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, server.url("/cb"));

            callback.afterCommit(Fixtures.runEnded(run));

            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(4, server.count());
        }
    }

    @Test
    void aClientErrorStopsAtOnce() throws Exception {
        try (var server = new Fixtures.CallbackServer(404, 200)) {
            Entity wf = Fixtures.workflow("wrong url", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, server.url("/nowhere"));

            callback.afterCommit(Fixtures.runEnded(run));

            server.next(WAIT);
            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(1, server.count(), "a 404 is not retried");
        }
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        RunCallback three = new RunCallback(db, STORE, 3, Duration.ofMillis(20), Duration.ofSeconds(5));
        try (var server = new Fixtures.CallbackServer(500)) {
            Entity wf = Fixtures.workflow("always down", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "FAILED", "x", server.url("/cb"));

            three.afterCommit(Fixtures.runEnded(run));

            assertTrue(three.awaitIdle(WAIT));
            assertEquals(3, server.count());
        } finally {
            three.close();
        }
    }

    @Test
    void anUnreachableReceiverIsRetriedAndFailsNothing() throws Exception {
        RunCallback two = new RunCallback(db, STORE, 2, Duration.ofMillis(20), Duration.ofSeconds(5));
        try {
            Entity wf = Fixtures.workflow("unreachable", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null,
                    "http://127.0.0.1:" + Fixtures.closedPort() + "/cb");

            two.afterCommit(Fixtures.runEnded(run));

            assertTrue(two.awaitIdle(WAIT));
        } finally {
            two.close();
        }
    }

    @Test
    void theWorkerThreadNeverWaitsForABackoff() throws Exception {
        RunCallback slow = new RunCallback(db, STORE, 5, Duration.ofSeconds(60), Duration.ofSeconds(5));
        try (var server = new Fixtures.CallbackServer(500)) {
            Entity wf = Fixtures.workflow("slow retry", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, server.url("/cb"));

            long t0 = System.nanoTime();
            slow.afterCommit(Fixtures.runEnded(run));
            server.next(WAIT);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(tookMs < 30_000, "afterCommit returned and the first attempt came without a backoff");
            assertFalse(slow.awaitIdle(Duration.ofMillis(200)), "the retry waits 60 s on the scheduler");
        } finally {
            slow.close();
        }
        assertTrue(slow.awaitIdle(Duration.ofSeconds(5)), "close drops the waiting retry");
    }

    @Test
    void noCallbackUrlOrNoInstanceMeansNoRequest() throws Exception {
        try (var server = new Fixtures.CallbackServer(200)) {
            Entity wf = Fixtures.workflow("no callback", List.of(), List.of(), List.of());
            Entity run = Fixtures.instance(wf, "COMPLETED", null, null);
            Entity ftp = Fixtures.instance(wf, "COMPLETED", null, "ftp://example.com/x");
            Entity junk = Fixtures.instance(wf, "COMPLETED", null, "::not a url::");

            callback.afterCommit(Fixtures.runEnded(run));
            callback.afterCommit(Fixtures.runEnded(ftp));
            callback.afterCommit(Fixtures.runEnded(junk));
            callback.afterCommit(io.dartmart.domain.model.Json.object().put("workflow_instance_id", "missing"));
            callback.afterCommit(io.dartmart.domain.model.Json.object());

            assertTrue(callback.awaitIdle(WAIT));
            assertEquals(0, server.count());
        }
    }

    @Test
    void backoffDoublesAndIsCapped() {
        RunCallback c = new RunCallback(db, STORE, 20, Duration.ofSeconds(1), Duration.ofSeconds(5));
        try {
            assertEquals(Duration.ofSeconds(1), c.delayBefore(2));
            assertEquals(Duration.ofSeconds(2), c.delayBefore(3));
            assertEquals(Duration.ofSeconds(4), c.delayBefore(4));
            assertEquals(Duration.ofSeconds(32), c.delayBefore(7));
            assertEquals(Duration.ofSeconds(60), c.delayBefore(8));
            assertEquals(Duration.ofSeconds(60), c.delayBefore(20));
        } finally {
            c.close();
        }
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> out = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

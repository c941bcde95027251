package io.dartmart.api;

import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Twenty manual triggers at once never start more instances than the workflow's concurrency. */
@MicronautTest
class ConcurrencyTest extends ApiTestBase {

    @Test
    void concurrencyIsNeverExceeded() throws Exception {
        ApiClient api = admin();
        String engine = "conc_engine_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("step", Map.of("type", "object")));
        String ds = ok(api.post("/api/1/datastore", body(Map.of("name", "c", "engine_name", engine,
                "state", "TEMPLATE")))).results().get("id").asText();
        String wf = ok(api.post("/api/1/datastore/" + ds + "/workflow", body(Map.of("name", "c", "state", "ACTIVE",
                "concurrency", 3)))).results().get("id").asText();
        ok(api.post("/api/1/workflow/" + wf + "/action", body(Map.of("name", "s", "action_type_name", "step"))));

        int callers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/1/workflow/" + wf + "/do-manual-trigger", null).status();
                }));
            }
            start.countDown();
            int started = 0;
            for (Future<Integer> r : results) {
                int status = r.get();
                assertTrue(status == 200 || status == 400, "status " + status);
                started += status == 200 ? 1 : 0;
            }
            assertEquals(3, started);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, ok(api.get("/api/1/workflow/" + wf + "/instance")).json().get("total").asInt());
        assertEquals(3, ok(api.get("/api/1/datastore", Map.of("filters", "[\"workflow_datastore_id = " + ds + "\"]")))
                .json().get("total").asInt(), "one clone of the TEMPLATE datastore per run");
    }
}

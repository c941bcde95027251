package io.dartmart.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dartmart.domain.model.Json;
import io.dartmart.engines.noop.NoOpEngine;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * {@code ./dart bench}: the execution benchmark. It starts a fresh embedded PostgreSQL and the API in this JVM, runs
 * the real no_op engine in pull mode through the engine SDK over HTTP (sleep 0), and prints:
 * (a) the hand-off latency from an action's check-in to the next action's check-out, p50 and p99;
 * (b) the wall time of one workflow of 40 sequential no-op actions;
 * (c) action lifecycles per second with 1000 parallel single-action workflows run 10 times each (10,000 lifecycles)
 * and 8 pull-mode workers.
 * Times come from the server's own timestamps (end_time, start_time), so the client's pauses do not count.
 * (c) is measured after a warm-up round of one run per workflow (-Ddart.bench.warmup=N for N rounds, 0 for none)
 * and with the tables analyzed, as on a database that has been running a while.
 * Each figure is also printed as a ratio to the machine's floor, measured first on the same database
 * ({@link MachineFloor}): (a) to a raw LISTEN/NOTIFY hand-off, (b) to 40 raw serial lifecycles plus 40 such
 * hand-offs, (c) to raw lifecycles of the same HTTP round trips and transactions, with the same workers and batch.
 * The database runs as the embedding library starts it, with fsync and synchronous_commit off (as in every earlier
 * figure; local mode turns them on); the benchmark prints both settings next to its figures.
 * Arguments: [sequential runs, default 5] [runs per parallel workflow, default 10, at most 10];
 * -Ddart.bench.workflows=N changes the 1000 workflows of (c);
 * -Ddart.bench.workers=N changes the 8 workers of (c), -Ddart.bench.batch=N the 8 actions each takes per request
 * (its {@code pullBatch}); DART_BENCH_DEBUG=1 prints the server's time per route and the
 * database's statements of (c) per lifecycle.
 */
public final class ExecutionBenchmark {
    private static final String ADMIN = "bench-admin:bench-admin-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final boolean DEBUG = System.getenv("DART_BENCH_DEBUG") != null;
    /** The engines' long polls are short here, so that the polls of closed workers end soon (see awaitAbandonedPolls). */
    private static final int POLL_WAIT_SECONDS = 1;
    private final URI base;
    private final DataSource database;

    private ExecutionBenchmark(URI base, DataSource database) {
        this.base = base;
        this.database = database;
    }

    public static void main(String[] args) throws Exception {
        int sequentialRuns = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // each workflow of (c) runs this many times; at most its concurrency (10), as every run is queued at once
        int parallelRounds = Math.min(10, args.length > 1 ? Integer.parseInt(args[1]) : 10);
        Path dir = Files.createTempDirectory("dart-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_preload_libraries", DEBUG ? "pg_stat_statements" : "")
                .setServerConfig("log_min_duration_statement", System.getProperty("dart.bench.log-slow-ms", "-1")).start()) {
            int port = BenchApi.freePort();
            ApplicationContext ctx = BenchApi.startApi(pg, port, Map.of("datasources.default.maximum-pool-size", "40"));
            try {
                new ExecutionBenchmark(URI.create("http://localhost:" + port), pg.getPostgresDatabase())
                        .run(sequentialRuns, parallelRounds, pg.getJdbcUrl("postgres", "postgres"));
            } finally {
                ctx.close();
            }
        } finally {
            BenchApi.removeWorkDirectory(dir);
        }
    }

    private void run(int sequentialRuns, int parallelRounds, String jdbcUrl) throws Exception {
        int batch = Integer.getInteger("dart.bench.batch", 8);
        int workerCount = Integer.getInteger("dart.bench.workers", 8);
        int workflowCount = Integer.getInteger("dart.bench.workflows", 1000);
        Floor floor = floor(jdbcUrl, workflowCount * parallelRounds, workerCount, batch);
        JsonNode key = post("/api/1/api_key", Map.of("data", Map.of("user_id", "bench@dart.local", "role", "engine",
                "engine_name", NoOpEngine.NAME)));
        String engineKey = key.path("data").path("key").asText() + ":" + key.path("data").path("secret").asText();
        System.out.printf("dart execution benchmark (%d CPUs, Java %s, load average %s at the start; database: fsync %s,"
                        + " synchronous_commit %s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage(), setting("fsync"), setting("synchronous_commit"));
        System.out.printf("floor: raw LISTEN/NOTIFY hand-off p50 %.2f ms, p99 %.2f ms; raw serial lifecycle (one HTTP"
                        + " round trip, one transaction) median %.2f ms; raw lifecycles of (c) %.0f/s%n",
                floor.handoffP50Millis(), floor.handoffP99Millis(), floor.serialMillis(), floor.lifecyclesPerSecond());

        var sequentialEngine = NoOpEngine.builder().apiUrl(base.toString()).apiKey(engineKey)
                .pollWaitSeconds(POLL_WAIT_SECONDS).build();
        sequentialEngine.register();
        List<Long> handoffs = new ArrayList<>();
        List<Long> walls = new ArrayList<>();
        String wf = workflow("sequential", 40, 1);
        try (var workers = sequentialEngine.startPullWorkers(2)) {
            runAndWait(wf, 1);
            for (int r = 0; r < sequentialRuns; r++) {
                String instance = runAndWait(wf, 1).get(0);
                JsonNode inst = get("/api/1/workflow/instance/" + instance).path("results").path("data");
                walls.add(Duration.between(time(inst, "queued_time"), time(inst, "end_time")).toMillis());
                List<JsonNode> steps = actions(instance);
                for (int i = 1; i < steps.size(); i++) {
                    handoffs.add(Duration.between(time(steps.get(i - 1), "end_time"),
                            time(steps.get(i), "start_time")).toNanos() / 1_000);
                }
            }
        }
        awaitAbandonedPolls();
        Collections.sort(handoffs);
        Collections.sort(walls);
        double handoffP50 = percentile(handoffs, 50) / 1000.0;
        System.out.printf("(a) hand-off check-in -> next check-out: p50 %.1f ms (%.1fx the floor), p99 %.1f ms (%d"
                        + " hand-offs)%n", handoffP50, handoffP50 / floor.handoffP50Millis(),
                percentile(handoffs, 99) / 1000.0, handoffs.size());
        long median = walls.get(walls.size() / 2);
        System.out.printf("(b) one workflow of 40 sequential no-op actions: median %d ms (%.1fx the floor of %.0f ms),"
                        + " best %d ms (%d runs)%n", median, median / floor.sequentialMillis(40),
                floor.sequentialMillis(40), walls.get(0), walls.size());

        var parallelEngine = NoOpEngine.builder().apiUrl(base.toString()).apiKey(engineKey)
                .pollWaitSeconds(POLL_WAIT_SECONDS).pullBatch(batch).build();
        List<String> workflows = new ArrayList<>();
        workflows.addAll(parallel(workflowCount, i -> workflow("parallel-" + i, 1, parallelRounds)));
        // a round that is not measured first, as a long-running server would be warm: its code compiled by the JIT,
        // its statements prepared on the pool's connections
        int warmup = Math.min(parallelRounds, Integer.getInteger("dart.bench.warmup", 1));
        int done = sequentialRuns + 1;
        if (warmup > 0) {
            trigger(workflows, warmup);
            try (var workers = parallelEngine.startPullWorkers(workerCount)) {
                done += workflows.size() * warmup;
                awaitCompleted(done);
            }
            awaitAbandonedPolls();
        }
        Instant measured = Instant.now();
        trigger(workflows, parallelRounds);
        int total = workflows.size() * parallelRounds;
        Instant first;
        Instant last;
        // the tables grew from nothing within seconds, faster than autovacuum looks (once a minute): without fresh
        // statistics the planner keeps plans made for near-empty tables, e.g. scanning every run for a lookup by id
        sql("ANALYZE");
        if (DEBUG) {
            sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
        }
        try (var workers = parallelEngine.startPullWorkers(workerCount)) {
            awaitCompleted(done + total);
            List<Instant[]> spans = spans(workflows, measured);
            first = spans.stream().map(s -> s[0]).min(Instant::compareTo).orElseThrow();
            last = spans.stream().map(s -> s[1]).max(Instant::compareTo).orElseThrow();
        }
        if (DEBUG) {
            printStatements(total);
            // where the server spends its time, per route
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
            metrics.body().lines().filter(l -> l.startsWith("http_server_requests_seconds_sum")
                    || l.startsWith("http_server_requests_seconds_count")).filter(l -> l.contains("engine"))
                    .forEach(System.out::println);
        }
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        System.out.printf("(c) %d single-action runs of %d workflows, %d pull-mode workers taking up to %d actions per"
                + " request, after %d warm-up runs: %.0f action lifecycles/s (%.2f s; %.2fx the floor's %.0f/s)%n",
                total, workflows.size(), workerCount, batch, workflows.size() * warmup, total / seconds, seconds,
                total / seconds / floor.lifecyclesPerSecond(), floor.lifecyclesPerSecond());
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    /** The machine's floor, in this run and on this database (see {@link MachineFloor}). */
    private record Floor(double handoffP50Millis, double handoffP99Millis, double serialMillis,
                         double lifecyclesPerSecond) {
        /** The least {@code steps} sequential steps can take: each a raw lifecycle and a raw hand-off. */
        double sequentialMillis(int steps) {
            return steps * (serialMillis + handoffP50Millis);
        }
    }

    private static Floor floor(String jdbcUrl, int lifecycles, int workers, int batch) throws Exception {
        try (MachineFloor floor = new MachineFloor(jdbcUrl)) {
            floor.serialLifecycleMillis(200);
            List<Long> handoffs = floor.notifyHandoffs(500);
            return new Floor(percentile(handoffs, 50) / 1000.0, percentile(handoffs, 99) / 1000.0,
                    floor.serialLifecycleMillis(500), floor.lifecyclesPerSecond(lifecycles, workers, batch));
        }
    }

    private String setting(String name) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    /** {@code make} for 0..count-1 on 16 threads; answers the results in order. */
    private static <T> List<T> parallel(int count, IntTask<T> make) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> make.run(n)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    @FunctionalInterface
    private interface IntTask<T> {
        T run(int i) throws Exception;
    }

    /**
     * Waits until the polls that closed workers abandoned have ended on the server. Until it notices the disconnect
     * (or the poll's wait ends), such a poll could take work queued meanwhile and strand it in RUNNING, and no
     * lost-work sweeper runs in this benchmark to take it back.
     */
    private static void awaitAbandonedPolls() throws InterruptedException {
        Thread.sleep(POLL_WAIT_SECONDS * 1_000L + 500);
    }

    /** Queues {@code rounds} runs of every workflow, all at once. */
    private void trigger(List<String> workflows, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (String w : workflows) {
                for (int r = 0; r < rounds; r++) {
                    starts.add(pool.submit(() -> post("/api/1/workflow/" + w + "/do-manual-trigger", Map.of())));
                }
            }
            for (Future<?> f : starts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void sql(String statements) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute(statements);
        }
    }

    /** The statements of (c) by the database's time spent on them, with calls per action lifecycle. */
    private void printStatements(int lifecycles) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT calls, total_exec_time, query FROM pg_stat_statements"
                     + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'postgres')"
                     + " AND query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 25")) {
            System.out.println("statements of (c): calls per lifecycle, microseconds per lifecycle, query");
            while (rs.next()) {
                System.out.printf("  %6.2f %7.1f  %s%n", rs.getLong(1) / (double) lifecycles,
                        rs.getDouble(2) * 1000 / lifecycles, rs.getString(3).replaceAll("\\s+", " "));
            }
        }
    }

    private String workflow(String name, int steps, int concurrency) throws Exception {
        String ds = post("/api/1/datastore", Map.of("data", Map.of("name", name, "engine_name", NoOpEngine.NAME,
                "state", "TEMPLATE", "args", Map.of(NoOpEngine.SLEEP_OPTION, 0)))).get("id").asText();
        String wf = post("/api/1/datastore/" + ds + "/workflow", Map.of("data", Map.of("name", name, "state", "ACTIVE",
                "concurrency", Math.min(concurrency, 10)))).get("id").asText();
        ArrayNode list = Json.array();
        for (int i = 0; i < steps; i++) {
            list.addObject().putObject("data").put("name", "step-" + i)
                    .put("action_type_name", NoOpEngine.FAKE_ACTION_THAT_SUCCEEDS);
        }
        post("/api/1/workflow/" + wf + "/action", list);
        return wf;
    }

    /** Runs the workflow {@code times} times and waits for the runs to end; answers their instance ids. */
    private List<String> runAndWait(String workflow, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            post("/api/1/workflow/" + workflow + "/do-manual-trigger", Map.of());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode page = get("/api/1/workflow/" + workflow + "/instance?limit=1&order_by="
                    + URLEncoder.encode("[\"created DESC\"]", StandardCharsets.UTF_8));
            JsonNode latest = page.path("results").get(0);
            if (latest != null && "COMPLETED".equals(latest.path("data").path("state").asText())) {
                return List.of(latest.get("id").asText());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the run did not complete within 2 minutes");
    }

    /** Waits until {@code total} runs in all have completed. */
    private void awaitCompleted(int total) throws Exception {
        Duration patience = Duration.ofSeconds(Integer.getInteger("dart.bench.timeout-seconds", 300));
        long deadline = System.nanoTime() + patience.toNanos();
        String filter = URLEncoder.encode("[\"state = COMPLETED\"]", StandardCharsets.UTF_8);
        while (System.nanoTime() < deadline) {
            long done = get("/api/1/workflow/instance?limit=0&filters=" + filter).path("total").asLong();
            if (done >= total) {
                return;
            }
            Thread.sleep(50);
        }
        StringBuilder states = new StringBuilder();
        for (String state : List.of("QUEUED", "PENDING", "RUNNING", "FAILED")) {
            List<String> ids = new ArrayList<>();
            get("/api/1/action?limit=10&filters=" + URLEncoder.encode("[\"state = " + state + "\"]",
                    StandardCharsets.UTF_8)).path("results").forEach(a -> ids.add(a.get("id").asText()));
            states.append(" ").append(state).append(": ").append(ids);
        }
        throw new IllegalStateException("the runs did not complete within " + patience + "; actions by state (up to 10"
                + " each):" + states);
    }

    /** Start and end of the workflows' runs queued from {@code since} on (server and bench share this JVM's clock). */
    private List<Instant[]> spans(List<String> workflows, Instant since) throws Exception {
        List<Instant[]> out = new ArrayList<>();
        for (String w : workflows) {
            for (JsonNode i : get("/api/1/workflow/" + w + "/instance?limit=100").path("results")) {
                if (!time(i.path("data"), "queued_time").isBefore(since)) {
                    out.add(new Instant[]{time(i.path("data"), "start_time"), time(i.path("data"), "end_time")});
                }
            }
        }
        return out;
    }

    private List<JsonNode> actions(String instance) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        get("/api/1/action?limit=100&workflow_instance_id=" + instance + "&order_by="
                + URLEncoder.encode("[\"order_idx ASC\"]", StandardCharsets.UTF_8))
                .path("results").forEach(a -> out.add(a.path("data")));
        return out;
    }

    private static Instant time(JsonNode data, String field) {
        return OffsetDateTime.parse(data.path(field).asText()).toInstant();
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private JsonNode post(String path, Object body) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.MAPPER.valueToTree(body))))).path("results");
    }

    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return Json.parseTrusted(r.body());
    }
}

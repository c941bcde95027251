package io.dartmart.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * {@code ./dart bench-scale [ACTIONS]}: the list, page, search and graph routes on a year of history (a million
 * actions by default, 100,000 runs, 1,000 workflows, 50 datastores; see {@link ScaleHistory}). Each route is
 * checked once for the right answer, then timed at 1 client and at 50, next to the floor: a bare primary-key read
 * of one datastore through the same server, measured in the same run. Arguments: [actions, default 1000000]
 * [requests per client at 50 clients, default 20; the 1-client round is ten times that] [warm-up rounds, default
 * 10].
 */
public final class ScaleBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(BenchApi.ADMIN.getBytes(StandardCharsets.UTF_8));

    /** One route to time, and what its answer must hold. */
    record Route(String name, String path, Predicate<JsonNode> check) {
    }

    /** p50 and p99 in ms and requests per second of one route at one concurrency. */
    record Figures(double p50, double p99, double perSecond) {
    }

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int actions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmRounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.printf("dart scale benchmark (%d CPUs, Java %s, load average %.2f at start)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), load());
        run(actions, perClient, warmRounds);
        System.out.printf("load average %.2f at the end%n", load());
        System.exit(0);
    }

    /** Builds the history, checks every route's answer and times it; answers the figures by route name. */
    static Map<String, Figures[]> run(int actions, int perClient, int warmRounds) throws Exception {
        // the JDK keeps 5 idle connections per server by default: one per client thread, or 45 of the 50 would
        // connect anew for each request
        System.setProperty("http.maxConnections", "64");
        Path dir = Files.createTempDirectory("dart-bench-scale");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setServerConfig("max_connections", "200").setServerConfig("shared_buffers", "1GB").start()) {
            int port = BenchApi.freePort();
            ApplicationContext ctx = BenchApi.startApi(pg, port, Map.of("datasources.default.maximum-pool-size", "20",
                    "dart.metrics.entity-refresh", "1h"));
            try {
                double seconds = ScaleHistory.build(pg.getPostgresDatabase(), actions);
                System.out.printf("history: %,d actions built, vacuumed and analyzed in %.0f s%n", actions, seconds);
                return measure(URI.create("http://localhost:" + port), routes(URI.create("http://localhost:" + port),
                        actions), perClient, warmRounds);
            } finally {
                ctx.close();
            }
        } finally {
            BenchApi.removeWorkDirectory(dir);
        }
    }

    private static String q(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    /** A page of {@code size} entities (of at least one when a small history has fewer), each passing. */
    private static boolean all(JsonNode page, int size, Predicate<JsonNode> each) {
        JsonNode results = page.path("results");
        boolean full = page.path("cursor").isTextual();
        if (results.isEmpty() || (full ? results.size() != size : results.size() > size)) {
            return false;
        }
        for (JsonNode e : results) {
            if (!each.test(e)) {
                return false;
            }
        }
        return true;
    }

    private static List<Route> routes(URI base, int actions) throws Exception {
        int half = actions / 2;
        String cursor = get(base, "/api/1/action?limit=20&offset=" + half).path("cursor").asText();
        String newest = get(base, "/api/1/action?limit=20&order_by=" + q("[\"created DESC\"]")).path("cursor").asText();
        String busyRun = get(base, "/api/1/workflow/instance?limit=1&filters=" + q("[\"workflow_id = "
                + ScaleHistory.BUSY_WORKFLOW + "\"]")).path("results").path(0).path("id").asText();
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("floor: GET /datastore/{id}", "/api/1/datastore/ds-1",
                r -> "ds-1".equals(r.path("results").path("id").asText())));
        routes.add(new Route("/action?limit=20", "/api/1/action?limit=20",
                r -> all(r, 20, e -> true) && !r.path("cursor").isNull()));
        routes.add(new Route("/action name ~ step_12", "/api/1/action?filters=" + q("[\"name ~ step_12\"]"),
                r -> all(r, 20, e -> e.path("data").path("name").asText().contains("step_12"))));
        routes.add(new Route("/action?offset=" + half, "/api/1/action?limit=20&offset=" + half,
                r -> all(r, 20, e -> true)));
        routes.add(new Route("/action after=<cursor at " + half + ">", "/api/1/action?limit=20&after=" + cursor,
                r -> all(r, 20, e -> true)));
        routes.add(new Route("/action created DESC, page 2 by cursor", "/api/1/action?limit=20&order_by="
                + q("[\"created DESC\"]") + "&after=" + newest, r -> all(r, 20, e -> true)));
        routes.add(new Route("/action updated DESC (UI sort)", "/api/1/action?limit=20&order_by="
                + q("[\"updated DESC\"]"), r -> all(r, 20, e -> true)));
        routes.add(new Route("/action name DESC (UI sort)", "/api/1/action?limit=20&order_by=" + q("[\"name DESC\"]"),
                r -> all(r, 20, e -> e.path("data").path("name").isTextual())));
        routes.add(new Route("/action state = FAILED, created DESC", "/api/1/action?filters=" + q("[\"state = FAILED\"]")
                + "&order_by=" + q("[\"created DESC\"]"), r -> all(r, 20, e -> "FAILED".equals(e.path("data").path("state").asText()))));
        routes.add(new Route("/action workflow_id = busy", "/api/1/action?filters=" + q("[\"workflow_id = "
                + ScaleHistory.BUSY_WORKFLOW + "\"]"), r -> all(r, 20, e -> ScaleHistory.BUSY_WORKFLOW.equals(
                e.path("data").path("workflow_id").asText()))));
        routes.add(new Route("/action of one run", "/api/1/action?workflow_instance_id=" + busyRun,
                r -> all(r, 10, e -> busyRun.equals(e.path("data").path("workflow_instance_id").asText()))));
        routes.add(new Route("/graph/workflow/busy", "/api/1/graph/workflow/" + ScaleHistory.BUSY_WORKFLOW,
                r -> r.path("results").path("nodes").size() > 10));
        routes.add(new Route("/workflow/busy/instance", "/api/1/workflow/" + ScaleHistory.BUSY_WORKFLOW + "/instance",
                r -> all(r, 20, e -> true)));
        routes.add(new Route("/workflow/instance state = RUNNING", "/api/1/workflow/instance?filters="
                + q("[\"state = RUNNING\"]"), r -> r.path("results").size() > 0 && r.path("total_kind").asText().equals("exact")));
        routes.add(new Route("/workflow/instance updated DESC (UI sort)", "/api/1/workflow/instance?order_by="
                + q("[\"updated DESC\"]"), r -> all(r, 20, e -> true)));
        routes.add(new Route("/workflow/instance created DESC", "/api/1/workflow/instance?order_by="
                + q("[\"created DESC\"]"), r -> all(r, 20, e -> true)));
        routes.add(new Route("/workflow?limit=20", "/api/1/workflow?limit=20", r -> all(r, 20, e -> true)));
        routes.add(new Route("/datastore?limit=20", "/api/1/datastore?limit=20", r -> r.path("results").size() > 0));
        routes.add(new Route("/trigger?limit=20", "/api/1/trigger?limit=20", r -> all(r, 20, e -> true)));
        routes.add(new Route("/graph/entity_identifiers?search=workflow_1", "/api/1/graph/entity_identifiers?search=workflow_1",
                r -> r.path("results").size() > 0));
        for (Route route : routes) {
            JsonNode answer = get(base, route.path());
            if (!route.check().test(answer)) {
                throw new IllegalStateException(route.name() + " answered wrongly: " + Json.write(answer));
            }
        }
        return routes;
    }

    /**
     * Each route at 1 client, then at 50 right after the floor's own 50-client round: the machine is shared and its
     * speed drifts within a run, so each route's rate is also given against the floor measured just before it.
     * First, {@code warmRounds} rounds of every route at 50 clients, as many requests as a timed round: the figures
     * are a warmed server's. With one short pass, the JIT was still compiling the request path while routes were
     * timed: the server's CPU per graph request fell from 4.5 ms over its first 5,000 requests to 1.4-1.8 ms after
     * 25,000, and the floor's rate rose threefold from the first routes timed to the last.
     */
    private static Map<String, Figures[]> measure(URI base, List<Route> routes, int perClient, int warmRounds)
            throws Exception {
        Map<String, Figures[]> out = new java.util.LinkedHashMap<>();
        long warming = System.nanoTime();
        for (int round = 0; round < warmRounds; round++) {
            for (Route route : routes) {
                time(base, route, 50, perClient);
            }
        }
        System.out.printf("warm-up: %d rounds of %,d requests per route at 50 clients in %.0f s%n", warmRounds,
                50 * perClient, (System.nanoTime() - warming) / 1e9);
        System.out.printf("%-46s %18s %26s %9s %16s%n", "route", "1 client p50/p99", "50 clients p50/p99, req/s",
                "p50/floor", "floor beside");
        Route floorRoute = routes.get(0);
        double floor = 0;
        for (Route route : routes) {
            time(base, route, 1, perClient * 2);
            Figures one = time(base, route, 1, perClient * 10);
            Figures beside = time(base, floorRoute, 50, perClient);
            Figures fifty = route == floorRoute ? beside : time(base, route, 50, perClient);
            if (floor == 0) {
                floor = one.p50();
            }
            out.put(route.name(), new Figures[]{one, fifty, beside});
            System.out.printf("%-46s %8.1f / %6.1f ms %8.1f / %6.1f ms, %6.0f/s %8.1fx %6.0f/s, %4.2fx%n", route.name(),
                    one.p50(), one.p99(), fifty.p50(), fifty.p99(), fifty.perSecond(), one.p50() / floor,
                    beside.perSecond(), fifty.perSecond() / beside.perSecond());
        }
        return out;
    }

    /** {@code clients} threads each sending {@code each} requests one after another. */
    private static Figures time(URI base, Route route, int clients, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    List<Long> took = new ArrayList<>();
                    byte[] buffer = new byte[64 * 1024];
                    for (int n = 0; n < each; n++) {
                        long t = System.nanoTime();
                        fetch(base, route.path(), buffer);
                        took.add(System.nanoTime() - t);
                    }
                    return took;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Collections.sort(all);
            return new Figures(BenchApi.percentile(all, 50) / 1e6, BenchApi.percentile(all, 99) / 1e6, all.size() / seconds);
        } finally {
            pool.shutdown();
        }
    }

    private static JsonNode get(URI base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", AUTH)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return Json.parseTrusted(r.body());
    }

    /**
     * A timed request: the body of a 200 answer read whole, as bytes, and dropped. The timed requests measure the
     * server, on the cores the client shares with it, so the client is the leanest the JDK has: a blocking
     * HttpURLConnection on a kept-alive connection per client thread took a third of the CPU per request of
     * java.net.http.HttpClient (0.3 against 0.95 ms on the floor's route, measured beside this server) and does
     * not decode or parse the answer (each route's answer is parsed and checked once, by {@link #get}, before it
     * is timed).
     */
    private static void fetch(URI base, String path, byte[] buffer) throws Exception {
        HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        c.setRequestProperty("Authorization", AUTH);
        if (c.getResponseCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + c.getResponseCode());
        }
        try (InputStream in = c.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // read to the end, so that the connection is kept alive for the thread's next request
            }
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

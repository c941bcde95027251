package io.dartmart.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.ApiMain;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.schema.SecretCipher;
import io.dartmart.engines.worker.EngineWorkerMain;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.TriggerWorkerMain;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One chaos run: starts the stand-ins and, as processes of their own, two API servers, two trigger workers, two
 * subscription workers, an engine worker and two pull-mode engines; makes the topology, runs the load while the
 * faults happen, lets the platform drain, stops it, and checks the invariants.
 */
final class ChaosRun {
    /** Short, so that a SIGSTOP of a few seconds outlasts it; the engines heartbeat every second. */
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(4);
    private static final Duration START_PATIENCE = Duration.ofMinutes(4);

    private final ChaosOptions options;
    private final Path dir;

    ChaosRun(ChaosOptions options, Path dir) {
        this.options = options;
        this.dir = dir;
    }

    ChaosReport run() throws Exception {
        Instant began = Instant.now();
        String admin = "chaos-admin:" + Ids.newToken(32);
        String secretsKey = SecretCipher.newKey();
        List<URI> apis = List.of(URI.create("http://127.0.0.1:" + StandIns.freePort()),
                URI.create("http://127.0.0.1:" + StandIns.freePort()));
        Path record = dir.resolve("engine-record.txt");
        try (StandIns standIns = new StandIns(dir);
             ProcessSupervisor processes = new ProcessSupervisor(dir.resolve("logs"))) {
            standIns.s3().createBucket(b -> b.bucket(Topology.BUCKET));
            Supplier<Map<String, String>> common = () -> {
                Map<String, String> p = standIns.dartProperties();
                p.put("dart.secrets.key", secretsKey);
                p.put("dart.api-url", apis.get(0).toString());
                // eight processes share the embedded database's 100 connections, with room for restarts
                p.put("datasources.default.maximum-pool-size", "8");
                p.put("dart.execution.heartbeat-timeout", HEARTBEAT_TIMEOUT.toSeconds() + "s");
                p.put("dart.execution.sweep-interval", "1s");
                p.put("dart.trigger-worker.schedule-interval", "1s");
                p.put("dart.subscription-worker.interval", "500ms");
                return p;
            };
            for (int i = 0; i < apis.size(); i++) {
                int port = apis.get(i).getPort();
                processes.start(new ProcessSupervisor.Spec("api-" + (i + 1), "api", ApiMain.class, () -> {
                    Map<String, String> p = common.get();
                    p.put("micronaut.server.port", Integer.toString(port));
                    p.put("dart.bootstrap-key", admin);
                    return p;
                }, List.of()));
                if (i == 0) {
                    // the first one migrates the schema alone
                    awaitUp(apis.get(0), admin);
                }
            }
            for (int i = 1; i <= 2; i++) {
                processes.start(new ProcessSupervisor.Spec("trigger-worker-" + i, "worker", TriggerWorkerMain.class,
                        common, List.of()));
                processes.start(new ProcessSupervisor.Spec("subscription-worker-" + i, "worker",
                        SubscriptionWorkerMain.class, common, List.of()));
            }
            processes.start(new ProcessSupervisor.Spec("engine-worker-1", "worker", EngineWorkerMain.class, common,
                    List.of()));
            for (int i = 1; i <= 2; i++) {
                processes.start(new ProcessSupervisor.Spec("engine-" + i, "engine", ChaosEngine.class,
                        () -> Map.<String, String>of(),
                        List.of(apis.get(i - 1).toString(), admin, record.toString())));
            }
            DartClient api = new DartClient(apis, admin);
            awaitEngine(api);
            Topology topology = Topology.create(api);

            LoadGenerator load = new LoadGenerator(api, standIns.s3(), topology, options.seed(),
                    () -> runsInFlight(standIns)).start();
            FaultInjector faults = new FaultInjector(processes, standIns, options.seed(), options.kills(),
                    Duration.ofSeconds(options.seconds()), HEARTBEAT_TIMEOUT.plusSeconds(3)).start();
            Thread.sleep(Duration.ofSeconds(options.seconds()).toMillis());
            faults.close();
            load.close();
            processes.reviveExited();
            deactivate(api, topology.scheduledTrigger());
            Instant scheduleEnded = Instant.now();
            awaitDrained(standIns, processes);
            processes.close();

            HolderRecord holders = HolderRecord.read(record, processes.lives());
            InvariantChecker.Result result;
            try (Connection c = standIns.connect()) {
                result = new InvariantChecker(topology, api.acks(), load, holders, processes.lives(), scheduleEnded)
                        .check(c);
            }
            writeFaults(dir.resolve("faults.txt"), faults.faults(), new Recovery(holders, processes.lives(),
                    result.progress()));
            return new ChaosReport(options, Duration.between(began, Instant.now()), faults.faults(),
                    new Recovery(holders, processes.lives(), result.progress()), result,
                    processes.unexpectedExits(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Each fault, when it began and how long the recovery took, for a look at the logs around it. */
    private static void writeFaults(Path file, List<FaultInjector.Fault> faults, Recovery recovery)
            throws IOException {
        List<String> lines = new ArrayList<>();
        for (FaultInjector.Fault f : faults) {
            lines.add(f.at() + " " + f.kind() + " " + f.target() + " recovered in "
                    + recovery.of(f).map(Duration::toString).orElse("(never)"));
        }
        Files.write(file, lines);
    }

    private static void awaitUp(URI api, String admin) throws Exception {
        DartClient client = new DartClient(List.of(api), admin);
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (true) {
            try {
                client.get("/api/1/engine");
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the API at " + api + " did not start; see its log", e);
                }
                Thread.sleep(500);
            }
        }
    }

    private static void awaitEngine(DartClient api) throws Exception {
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (true) {
            for (JsonNode engine : api.get("/api/1/engine").path("results")) {
                if (ChaosEngine.NAME.equals(engine.path("data").path("name").asText())) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the engine " + ChaosEngine.NAME + " did not register");
            }
            Thread.sleep(500);
        }
    }

    /**
     * Stops the scheduled trigger, so that the checker knows which minutes had to fire. Both API servers may just have
     * been killed and still be starting, so it is tried again for a while.
     */
    private static void deactivate(DartClient api, String trigger) throws Exception {
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (true) {
            try {
                JsonNode current = api.get("/api/1/trigger/" + trigger).path("results");
                ObjectNode body = DartClient.JSON.createObjectNode();
                body.set("data", ((ObjectNode) current.path("data").deepCopy()).put("state", "INACTIVE"));
                api.write("PUT", "/api/1/trigger/" + trigger, body);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Waits until nothing is left to do: no run or action in flight, no message in the outbox or the queues (a killed
     * consumer's comes back when its visibility timeout ends), no subscription batch due or held, for several
     * seconds in a row.
     */
    private static void awaitDrained(StandIns standIns, ProcessSupervisor processes) throws Exception {
        long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
        int quiet = 0;
        List<String> last = new ArrayList<>();
        while (quiet < 8) {
            if (System.nanoTime() > deadline) {
                System.err.println("chaos: the platform did not drain within " + DRAIN_PATIENCE + ": " + last);
                return;
            }
            Thread.sleep(1000);
            processes.reviveExited();
            try {
                last = busy(standIns);
                long queued = standIns.queuedMessages();
                if (queued > 0) {
                    last.add(queued + " queue messages");
                }
                quiet = last.isEmpty() ? quiet + 1 : 0;
            } catch (SQLException e) {
                last = List.of(e.getMessage());
                quiet = 0;
            }
        }
    }

    /** Runs queued or running; a great many while the database cannot be asked. */
    private static long runsInFlight(StandIns standIns) {
        try (Connection c = standIns.connect();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                     "SELECT count(*) FROM workflow_instance WHERE state IN ('QUEUED', 'RUNNING')")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<String> busy(StandIns standIns) throws SQLException {
        String sql = "SELECT (SELECT count(*) FROM workflow_instance WHERE state NOT IN ('COMPLETED', 'FAILED')),"
                + " (SELECT count(*) FROM action WHERE workflow_instance_id IS NOT NULL"
                + "   AND state NOT IN ('COMPLETED', 'FAILED', 'SKIPPED')),"
                + " (SELECT count(*) FROM outbox WHERE sent IS NULL),"
                + " (SELECT count(*) FROM subscription_element WHERE state IN ('RESERVED', 'ASSIGNED')),"
                + " (SELECT coalesce(sum((data->>'file_size')::bigint), 0) FROM subscription_element"
                + "   WHERE state = 'UNCONSUMED')";
        try (Connection c = standIns.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<String> out = new ArrayList<>();
            String[] what = {"runs", "actions", "outbox messages", "held elements"};
            for (int i = 0; i < what.length; i++) {
                if (rs.getLong(i + 1) > 0) {
                    out.add(rs.getLong(i + 1) + " " + what[i]);
                }
            }
            if (rs.getLong(5) >= Topology.BATCH_BYTES) {
                out.add(rs.getLong(5) + " unconsumed bytes");
            }
            return out;
        }
    }
}

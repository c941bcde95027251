package io.dartmart.engines.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.execution.LostWorkSweeper;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.service.DomainFactory;
import io.dartmart.domain.service.EngineProtocol;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.NestedEntities;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.testing.Await;
import io.dartmart.domain.testing.TestClock;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.domain.testing.TestS3;
import io.dartmart.engines.worker.launch.Launcher;
import io.dartmart.engines.worker.launch.LocalProcessLauncher;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine worker with real local processes and PostgreSQL: launching, keeping what a task prints, and finding
 * lost work (a killed task, a silent engine, a timeout), with time moved by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineWorkerTest {
    private static final TestClock CLOCK = new TestClock(Instant.now());

    @Factory
    static class ClockFactory {
        @Singleton
        @Replaces(bean = Clock.class, factory = DomainFactory.class)
        Clock clock() {
            return CLOCK;
        }
    }

    private static final String LOG_BUCKET = "engine-worker-test-logs";

    private ApplicationContext context;
    private Entities entities;
    private NestedEntities nested;
    private EntityStore store;
    private Db db;
    private EngineWorker worker;
    private LostWorkSweeper sweeper;
    private final Caller admin = new Caller("test@example.com", Role.ADMIN, null);
    /** Where this process's transitions are counted: it has no registry of its own, so the global one. */
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    void start() throws Exception {
        Metrics.addRegistry(meters);
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        // a real S3 protocol server over plain files, for the logs kept under each datastore's logs path
        props.putAll(TestS3.properties());
        props.put("dart.s3.datastores-root", "s3://" + LOG_BUCKET + "/datastores");
        props.put("flyway.datasources.default.enabled", true);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        context.getBean(S3Client.class).createBucket(b -> b.bucket(LOG_BUCKET));
        entities = context.getBean(Entities.class);
        nested = context.getBean(NestedEntities.class);
        store = context.getBean(EntityStore.class);
        db = context.getBean(Db.class);
        List<Launcher> launchers = new ArrayList<>(List.of(context.getBean(LocalProcessLauncher.class)));
        worker = new EngineWorker(db, store, context.getBean(ActionQueue.class), context.getBean(ActionOutcomes.class),
                launchers, context.getBean(ActionTokens.class), "http://localhost:1");
        sweeper = context.getBean(LostWorkSweeper.class);
    }

    @AfterAll
    void stop() throws Exception {
        Metrics.removeRegistry(meters);
        context.close();
    }

    private static ObjectNode body(Object data) {
        ObjectNode b = Json.object();
        b.set("data", Json.MAPPER.valueToTree(data));
        return b;
    }

    /** An engine launched as a local process running {@code script}, and a one-step run of it; answers the step. */
    private Entity runOneStep(String script, Map<String, Object> stepExtra) {
        String engine = "proc_" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> data = new HashMap<>(Map.of("name", engine, "options_json_schema", Map.of("type", "object"),
                "supported_action_types", List.of(Map.of("name", "step", "params_json_schema", Map.of("type", "object")))));
        if (script != null) {
            data.put("launcher", Map.of("type", "local_process", "command", List.of("bash", "-c", script)));
        }
        entities.create(EntityType.ENGINE, body(data), admin);
        String ds = entities.create(EntityType.DATASTORE, body(Map.of("name", "d", "engine_name", engine,
                "state", "TEMPLATE")), admin).id();
        String wf = nested.workflowOnDatastore(ds, body(Map.of("name", "w", "state", "ACTIVE")), admin).id();
        Map<String, Object> step = new HashMap<>(Map.of("name", "s", "action_type_name", "step"));
        step.putAll(stepExtra);
        nested.actionsOnWorkflow(wf, body(step), admin);
        Entity instance = context.getBean(WorkflowRuns.class).start(wf, "manual", null, WorkflowRuns.RunOptions.NONE, admin);
        return db.read(c -> store.all(c, EntityType.ACTION, ListQuery.of(List.of(
                Filter.eq("workflow_instance_id", instance.id()))))).get(0);
    }

    private Entity reload(Entity action) {
        return db.read(c -> store.get(c, EntityType.ACTION, action.id()));
    }

    private List<String> logLines(String actionId) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT stream || ': ' || line FROM action_log WHERE action_id = ? ORDER BY seq")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    @Test
    void aLaunchedTaskGetsItsActionAndItsOutputIsKept() {
        Entity action = runOneStep("echo \"working on $DART_ACTION_ID\"; echo 'oops' >&2", Map.of());
        worker.launchAll();
        Entity launched = reload(action);
        assertEquals("PENDING", launched.text("state"));
        assertTrue(launched.text("launch_handle").startsWith("pid:"), launched.text("launch_handle"));
        await("the task's output is kept", () -> logLines(action.id()).size() == 2);
        // two pipes: the order between stdout and stderr lines is not defined, within each stream it is
        assertEquals(java.util.Set.of("stdout: working on " + action.id(), "stderr: oops"),
                new java.util.HashSet<>(logLines(action.id())));

        // and the whole output is kept under the run's datastore's logs path once the task is done
        String logsPath = db.read(c -> store.get(c, EntityType.DATASTORE, action.text("datastore_id"))).text("s3_logs_path");
        String key = logsPath.substring(("s3://" + LOG_BUCKET + "/").length()) + "/" + action.id() + ".log";
        S3Client s3 = context.getBean(S3Client.class);
        await("the log is kept in S3", () -> {
            try {
                s3.headObject(b -> b.bucket(LOG_BUCKET).key(key));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            }
        });
        String archived = s3.getObjectAsBytes(b -> b.bucket(LOG_BUCKET).key(key)).asUtf8String();
        assertTrue(archived.contains("stdout working on " + action.id()) && archived.contains("stderr oops"), archived);
    }

    @Test
    void aLaunchedTaskSeesOnlyItsOwnVariablesAndAnActionToken() {
        Entity action = runOneStep("env", Map.of());
        worker.launchAll();
        await("the task's environment is printed", () -> logLines(action.id()).stream()
                .anyMatch(l -> l.startsWith("stdout: DART_API_KEY=")));
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        logLines(action.id()).forEach(l -> {
            String line = l.substring("stdout: ".length());
            seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        });
        // bash itself adds PWD, SHLVL and _
        assertEquals(java.util.Set.of("DART_ACTION_ID", "DART_API_URL", "DART_API_KEY", "PWD", "SHLVL", "_"),
                seen.keySet(), "nothing of the worker's own environment: " + seen.keySet());
        assertEquals(action.id(), seen.get("DART_ACTION_ID"));
        assertTrue(seen.get("DART_API_KEY").startsWith(ActionTokens.PREFIX), "an action token, not an API key");
    }

    @Test
    void aKilledTaskIsLostAndItsActionQueuedAgainWithoutUsingItsRetries() {
        Entity action = runOneStep("sleep 60", Map.of());
        worker.launchAll();
        String handle = reload(action).text("launch_handle");
        ProcessHandle.of(Long.parseLong(handle.substring(4))).orElseThrow().destroyForcibly();
        LocalProcessLauncher launcher = context.getBean(LocalProcessLauncher.class);
        await("the launcher sees the task stopped", () -> launcher.stoppedReason(null, handle).isPresent());
        sweeper.sweep();
        Entity requeued = reload(action);
        assertEquals("QUEUED", requeued.text("state"));
        assertEquals(0, requeued.data().path("attempt").asInt(), "the step's retries are not used");
        assertEquals(1, requeued.data().path("lost_attempts").asInt());
        assertTrue(requeued.text("error_message").contains("stopped"), requeued.text("error_message"));
        worker.launchAll();
        assertEquals("PENDING", reload(action).text("state"), "the lost attempt gets a new task");
        ProcessHandle.of(Long.parseLong(reload(action).text("launch_handle").substring(4)))
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void anEngineThatStopsSendingHeartbeatsLosesTheActionWhichIsQueuedAgainTwiceThenFails() {
        Entity action = runOneStep(null, Map.of("on_failure", "HALT"));
        var engineName = action.text("engine_name");
        EngineProtocol protocol = context.getBean(EngineProtocol.class);
        for (int attempt = 1; attempt <= 3; attempt++) {
            ObjectNode work = protocol.claim(engineName, admin).orElseThrow();
            assertEquals(action.id(), work.path("action_id").asText());
            assertEquals(attempt, work.path("attempt").asInt(), "the work package's attempt number");
            CLOCK.advance(Duration.ofSeconds(20));
            sweeper.sweep();
            assertEquals("RUNNING", reload(action).text("state"), "20 s without a heartbeat is fine");
            CLOCK.advance(Duration.ofSeconds(11));
            sweeper.sweep();
            if (attempt < 3) {
                Entity lost = reload(action);
                assertEquals("QUEUED", lost.text("state"), "lost after 30 s, and queued again");
                assertEquals(0, lost.data().path("attempt").asInt());
                assertTrue(lost.text("error_message").contains("heartbeat"), lost.text("error_message"));
            }
        }
        Entity failed = reload(action);
        assertEquals("FAILED", failed.text("state"), "lost a third time: the default allows two requeues");
        assertTrue(meters.counter("dart.action.transitions", "to", "QUEUED", "outcome", "LOST").count() >= 2,
                "the sweeper's transitions are counted where it makes them");
        assertTrue(meters.counter("dart.action.transitions", "to", "FAILED", "outcome", "LOST").count() >= 1);
        assertEquals(3, failed.data().path("lost_attempts").asInt());
        assertTrue(failed.text("error_message").startsWith("lost to the platform 3 times"), failed.text("error_message"));
        assertTrue(failed.text("error_message").contains("no heartbeat from the engine for 30 s"),
                failed.text("error_message"));
        Entity instance = db.read(c -> store.get(c, EntityType.WORKFLOW_INSTANCE, action.text("workflow_instance_id")));
        assertEquals("FAILED", instance.text("state"));
    }

    @Test
    void aTaskThatNeverChecksOutIsLostAndRequeued() {
        Entity action = runOneStep("sleep 60", Map.of());
        worker.launchAll();
        assertEquals("PENDING", reload(action).text("state"));
        CLOCK.advance(Duration.ofSeconds(61));
        sweeper.sweep();
        Entity requeued = reload(action);
        assertEquals("QUEUED", requeued.text("state"));
        assertEquals(1, requeued.data().path("lost_attempts").asInt());
        ProcessHandle.of(Long.parseLong(requeued.text("launch_handle").substring(4)))
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void theWorkOfEnginesThatDiedWithARestartedProcessIsReclaimedAtOnce() {
        Entity action = runOneStep(null, Map.of());
        context.getBean(EngineProtocol.class).claim(action.text("engine_name"), admin).orElseThrow();
        assertEquals(1, sweeper.reclaim(List.of(action.text("engine_name")), "the server restarted"));
        Entity requeued = reload(action);
        assertEquals("QUEUED", requeued.text("state"));
        assertTrue(requeued.text("error_message").contains("the server restarted"), requeued.text("error_message"));
    }

    @Test
    void aFailureTheEngineReportsUsesTheStepsRetriesThenFails() {
        Entity action = runOneStep(null, Map.of("retries", 1, "retry_delay_seconds", 0));
        EngineProtocol protocol = context.getBean(EngineProtocol.class);
        ObjectNode failure = Json.object().put("state", "FAILURE").put("error_message", "bad input");
        protocol.claim(action.text("engine_name"), admin).orElseThrow();
        protocol.checkin(action.id(), failure, admin);
        assertEquals("QUEUED", reload(action).text("state"), "one retry");
        assertEquals(1, reload(action).data().path("attempt").asInt());
        protocol.claim(action.text("engine_name"), admin).orElseThrow();
        protocol.checkin(action.id(), failure, admin);
        assertEquals("FAILED", reload(action).text("state"));
        assertEquals("bad input", reload(action).text("error_message"));
    }

    @Test
    void anAttemptPastItsTimeoutFails() {
        Entity action = runOneStep(null, Map.of("timeout_seconds", 10, "on_failure", "CONTINUE"));
        context.getBean(EngineProtocol.class).claim(action.text("engine_name"), admin).orElseThrow();
        CLOCK.advance(Duration.ofSeconds(11));
        sweeper.sweep();
        Entity timedOut = reload(action);
        assertEquals("FAILED", timedOut.text("state"));
        assertTrue(timedOut.text("error_message").contains("timed out"), timedOut.text("error_message"));
    }
}

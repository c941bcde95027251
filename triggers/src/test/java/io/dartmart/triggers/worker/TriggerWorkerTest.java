package io.dartmart.triggers.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.execution.Outbox;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
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
import io.dartmart.triggers.TriggerWorkerMain;
import io.dartmart.triggers.queue.TriggerQueue;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger worker over a real SQS protocol server (ElasticMQ) and PostgreSQL: chaining through
 * workflow_completion, events over SQS, super triggers, cron with an injected clock, workflow retries, a
 * redelivered message having no second effect, and what scheduled and event runs' templates see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggerWorkerTest {
    private static final Instant START = Instant.parse("2026-11-22T10:00:30Z");
    private static final TestClock CLOCK = new TestClock(START);

    /** Time is the test's to move. */
    @Factory
    static class ClockFactory {
        @Singleton
        @Replaces(bean = Clock.class, factory = DomainFactory.class)
        Clock clock() {
            return CLOCK;
        }
    }

    private SQSRestServer sqs;
    private ApplicationContext context;
    private TriggerWorkerMain worker;
    private Entities entities;
    private NestedEntities nested;
    private EngineProtocol protocol;
    private EntityStore store;
    private Db db;
    private final Caller admin = new Caller("test@example.com", io.dartmart.domain.auth.Role.ADMIN, null);

    @BeforeAll
    void start() {
        sqs = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        int port = sqs.waitUntilStarted().localAddress().getPort();
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.put("flyway.datasources.default.enabled", true);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        props.put("dart.aws.sqs-endpoint", "http://127.0.0.1:" + port);
        props.put("dart.aws.access-key-id", "x");
        props.put("dart.aws.secret-access-key", "x");
        props.put("dart.queue.create-missing", true);
        props.put("dart.queue.trigger-name", "trigger-test-" + UUID.randomUUID().toString().substring(0, 8));
        props.put("dart.trigger-worker.schedule-interval", "1h");
        context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        worker = new TriggerWorkerMain(context);
        entities = context.getBean(Entities.class);
        nested = context.getBean(NestedEntities.class);
        protocol = context.getBean(EngineProtocol.class);
        store = context.getBean(EntityStore.class);
        db = context.getBean(Db.class);
    }

    @AfterAll
    void stop() {
        worker.close();
        context.close();
        sqs.stopAndWait();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static ObjectNode body(Object data) {
        ObjectNode b = Json.object();
        b.set("data", Json.MAPPER.valueToTree(data));
        return b;
    }

    private String engine() {
        String name = "trig_" + unique();
        entities.create(EntityType.ENGINE, body(Map.of("name", name, "options_json_schema", Map.of("type", "object"),
                "supported_action_types", List.of(Map.of("name", "step", "params_json_schema", Map.of("type", "object"))))),
                admin);
        return name;
    }

    /** An ACTIVE workflow of one step (with the given extra step fields) on a TEMPLATE datastore. */
    private String workflow(String engine, Map<String, Object> workflowExtra, Map<String, Object> stepExtra) {
        String ds = entities.create(EntityType.DATASTORE, body(Map.of("name", "d", "engine_name", engine,
                "state", "TEMPLATE")), admin).id();
        Map<String, Object> wf = new HashMap<>(Map.of("name", "w-" + unique(), "state", "ACTIVE"));
        wf.putAll(workflowExtra);
        String id = nested.workflowOnDatastore(ds, body(wf), admin).id();
        Map<String, Object> step = new HashMap<>(Map.of("name", "s", "action_type_name", "step"));
        step.putAll(stepExtra);
        nested.actionsOnWorkflow(id, body(step), admin);
        return id;
    }

    private String trigger(String type, List<String> workflows, Map<String, Object> args) {
        return entities.create(EntityType.TRIGGER, body(Map.of("name", type + "-" + unique(), "trigger_type_name", type,
                "state", "ACTIVE", "workflow_ids", workflows, "args", args)), admin).id();
    }

    private List<Entity> instances(String workflowId) {
        return db.read(c -> store.all(c, EntityType.WORKFLOW_INSTANCE,
                ListQuery.of(List.of(Filter.eq("workflow_id", workflowId)))));
    }

    /** Runs every queued step of {@code engine} to the given outcome, as a pull-mode engine would. */
    private void work(String engine, boolean success) {
        var next = protocol.claim(engine, admin);
        while (next.isPresent()) {
            String id = next.get().path("action").path("id").asText();
            ObjectNode checkin = Json.object().put("state", success ? "SUCCESS" : "FAILURE");
            protocol.checkin(id, checkin, admin);
            next = protocol.claim(engine, admin);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(20), condition);
    }

    @Test
    void aCompletedRunStartsTheWorkflowsThatWaitForIt() {
        String engine = engine();
        String first = workflow(engine, Map.of(), Map.of());
        String second = workflow(engine, Map.of(), Map.of());
        trigger("workflow_completion", List.of(second), Map.of("completed_workflow_id", first));
        context.getBean(WorkflowRuns.class).start(first, "manual", null, WorkflowRuns.RunOptions.NONE, admin);
        work(engine, true);
        await("the second workflow runs", () -> instances(second).size() == 1);
        assertEquals("workflow_completion", instances(second).get(0).text("trigger_type"));
    }

    @Test
    void aFailedRunStartsNothingButIsRetried() {
        String engine = engine();
        String flaky = workflow(engine, Map.of("retries_on_failure", 1), Map.of("on_failure", "HALT"));
        String after = workflow(engine, Map.of(), Map.of());
        trigger("workflow_completion", List.of(after), Map.of("completed_workflow_id", flaky));
        context.getBean(WorkflowRuns.class).start(flaky, "manual", null, WorkflowRuns.RunOptions.NONE, admin);
        work(engine, false);
        await("the retry run starts", () -> instances(flaky).size() == 2);
        Entity retry = instances(flaky).stream().filter(i -> i.data().path("retry_num").asInt() == 1).findFirst()
                .orElseThrow();
        assertEquals("retry", retry.text("trigger_type"));
        work(engine, false);
        await("the retry fails", () -> "FAILED".equals(db.read(c -> store.get(c, EntityType.WORKFLOW_INSTANCE,
                retry.id())).text("state")));
        assertEquals(2, instances(flaky).size(), "retries_on_failure 1 means one retry");
        assertEquals(0, instances(after).size(), "workflow_completion fires only for COMPLETED runs");
    }

    @Test
    void anEventSentOverSqsRunsItsWorkflows() {
        String engine = engine();
        String wf = workflow(engine, Map.of(), Map.of());
        String event = entities.create(EntityType.EVENT, body(Map.of("name", "landed", "state", "ACTIVE")), admin).id();
        trigger("event", List.of(wf), Map.of("event_id", event));
        SqsClient client = context.getBean(SqsClient.class);
        client.sendMessage(SendMessageRequest.builder().queueUrl(context.getBean(TriggerQueue.class).url())
                .messageBody("{\"trigger_type_name\": \"event\", \"message\": {\"event_id\": \"" + event + "\"}}")
                .build());
        await("the event's workflow runs", () -> instances(wf).size() == 1);
    }

    @Test
    void aRedeliveredMessageHasNoSecondEffect() {
        String engine = engine();
        String wf = workflow(engine, Map.of("concurrency", 5), Map.of());
        String event = entities.create(EntityType.EVENT, body(Map.of("name", "once", "state", "ACTIVE")), admin).id();
        trigger("event", List.of(wf), Map.of("event_id", event));
        TriggerWorker direct = new TriggerWorker(db, context.getBean(TriggerQueue.class),
                new ArrayList<>(context.getBeansOfType(CallHandler.class)));
        String message = "{\"message_id\": \"m-" + unique() + "\", \"call\": \"PROCESS_TRIGGER\","
                + " \"trigger_type_name\": \"event\", \"message\": {\"event_id\": \"" + event + "\"}}";
        assertTrue(direct.process("sqs-1", message));
        assertTrue(direct.process("sqs-1", message));
        assertEquals(1, instances(wf).size());
    }

    @Test
    void superTriggersAllAndAny() {
        String engine = engine();
        String allWf = workflow(engine, Map.of("concurrency", 5), Map.of());
        String anyWf = workflow(engine, Map.of("concurrency", 5), Map.of());
        String e1 = entities.create(EntityType.EVENT, body(Map.of("name", "e1", "state", "ACTIVE")), admin).id();
        String e2 = entities.create(EntityType.EVENT, body(Map.of("name", "e2", "state", "ACTIVE")), admin).id();
        String t1 = trigger("event", List.of(), Map.of("event_id", e1));
        String t2 = trigger("event", List.of(), Map.of("event_id", e2));
        trigger("super", List.of(allWf), Map.of("fire_after", "ALL", "completed_trigger_ids", List.of(t1, t2)));
        trigger("super", List.of(anyWf), Map.of("fire_after", "ANY", "completed_trigger_ids", List.of(t1, t2)));
        TriggerWorker direct = new TriggerWorker(db, context.getBean(TriggerQueue.class),
                new ArrayList<>(context.getBeansOfType(CallHandler.class)));
        direct.process("a-" + unique(), "{\"message_id\": \"a1-" + unique() + "\", \"trigger_type_name\": \"event\", \"message\": {\"event_id\": \"" + e1 + "\"}}");
        assertEquals(0, instances(allWf).size(), "ALL waits for the other trigger");
        assertEquals(1, instances(anyWf).size(), "ANY fires at once");
        direct.process("b", "{\"message_id\": \"b1-" + unique() + "\", \"trigger_type_name\": \"event\", \"message\": {\"event_id\": \"" + e1 + "\"}}");
        assertEquals(0, instances(allWf).size(), "the same trigger twice is not ALL");
        direct.process("c", "{\"message_id\": \"c1-" + unique() + "\", \"trigger_type_name\": \"event\", \"message\": {\"event_id\": \"" + e2 + "\"}}");
        assertEquals(1, instances(allWf).size(), "ALL fires once both fired");
        direct.process("d", "{\"message_id\": \"d1-" + unique() + "\", \"trigger_type_name\": \"event\", \"message\": {\"event_id\": \"" + e2 + "\"}}");
        assertEquals(1, instances(allWf).size(), "its progress was reset after firing");
        assertEquals(4, instances(anyWf).size(), "ANY fires on each of the four events");
    }

    @Test
    void cronFiresOncePerScheduledTimeAcrossWorkersAndAfterDowntime() throws Exception {
        String engine = engine();
        String wf = workflow(engine, Map.of("concurrency", 10), Map.of());
        CLOCK.set(START);
        trigger("scheduled", List.of(wf), Map.of("cron_pattern", "*/5 * * * *"));
        ScheduledTriggers scheduled = context.getBean(ScheduledTriggers.class);
        scheduled.evaluate();
        assertEquals(0, instances(wf).size(), "10:00 was before the trigger existed");

        CLOCK.set(Instant.parse("2026-11-22T10:05:01Z"));
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(scheduled::evaluate));
            }
            for (var r : results) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, instances(wf).size(), "four workers evaluating at once fire 10:05 once");

        CLOCK.set(Instant.parse("2026-11-22T13:02:00Z"));
        scheduled.evaluate();
        scheduled.evaluate();
        assertEquals(2, instances(wf).size(), "three hours of missed fires run once");
    }

    private JsonNode argsOfRun(Entity instance) {
        return db.read(c -> store.all(c, EntityType.ACTION, ListQuery.of(List.of(
                Filter.eq("workflow_instance_id", instance.id()))))).get(0).data().path("args");
    }

    @Test
    void aScheduledRunsTemplatesSeeItsSchedulePointAndTheNext() {
        String engine = engine();
        String wf = workflow(engine, Map.of(), Map.of("args", Map.of("path", "s3://b/{{ ds_nodash }}/{{ ts }}",
                "until", "{{ data_interval_end }}")));
        CLOCK.set(START);
        trigger("scheduled", List.of(wf), Map.of("cron_pattern", "0 * * * *"));
        CLOCK.set(Instant.parse("2026-11-22T11:00:07Z"));
        context.getBean(ScheduledTriggers.class).evaluate();
        Entity run = instances(wf).get(0);
        assertEquals("2026-11-22T11:00:00.000000+00:00", run.text("schedule_point"));
        JsonNode args = argsOfRun(run);
        assertEquals("s3://b/20261122/2026-11-22T11:00:00Z", args.path("path").asText());
        assertEquals("2026-11-22T12:00:00Z", args.path("until").asText());
    }

    @Test
    void anEventsRunsTemplatesSeeItsMessageAsParams() {
        String engine = engine();
        String wf = workflow(engine, Map.of(), Map.of("args", Map.of("file", "{{ params.file | default('none') }}")));
        String event = entities.create(EntityType.EVENT, body(Map.of("name", "p", "state", "ACTIVE")), admin).id();
        trigger("event", List.of(wf), Map.of("event_id", event));
        TriggerWorker direct = new TriggerWorker(db, context.getBean(TriggerQueue.class),
                new ArrayList<>(context.getBeansOfType(CallHandler.class)));
        direct.process("p-" + unique(), "{\"message_id\": \"p-" + unique() + "\", \"trigger_type_name\": \"event\","
                + " \"message\": {\"event_id\": \"" + event + "\", \"file\": \"s3://in/a.csv\"}}");
        assertEquals("s3://in/a.csv", argsOfRun(instances(wf).get(0)).path("file").asText());
    }

    @Test
    void theOutboxReachesTheQueue() {
        String engine = engine();
        String wf = workflow(engine, Map.of(), Map.of());
        String t = trigger("event", List.of(wf), Map.of("event_id",
                entities.create(EntityType.EVENT, body(Map.of("name", "o", "state", "ACTIVE")), admin).id()));
        JsonNode args = db.read(c -> store.get(c, EntityType.TRIGGER, t)).data().path("args");
        db.tx(c -> context.getBean(Outbox.class).add(c, "PROCESS_TRIGGER", (ObjectNode) Json.object()
                .put("trigger_type_name", "event").set("message", Json.object().put("event_id",
                        args.path("event_id").asText()))));
        await("the outboxed event runs the workflow", () -> instances(wf).size() == 1);
    }
}

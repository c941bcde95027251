package io.dartmart.triggers.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.EngineProtocol;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.NestedEntities;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.testing.Await;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.domain.testing.TestS3;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.queue.SubscriptionQueue;
import io.micronaut.context.ApplicationContext;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscription worker over real PostgreSQL, a real S3 protocol server (S3Proxy) and a real SQS protocol server
 * (ElasticMQ): listing with prefixes and regex, object-created notifications bare and through SNS, batches at, below
 * and above their threshold, two workers racing, and consumption by a consume_subscription action. Taking over a dead
 * worker's listing is {@link SubscriptionTakeoverTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionWorkerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private SQSRestServer sqsServer;
    private ApplicationContext context;
    private SubscriptionWorkerMain worker;
    private Entities entities;
    private NestedEntities nested;
    private EntityStore store;
    private Db db;
    private S3Client s3;
    private final Caller admin = new Caller("test@example.com", Role.ADMIN, null);
    private String engine;

    @BeforeAll
    void start() {
        sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        int port = sqsServer.waitUntilStarted().localAddress().getPort();
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.putAll(TestS3.properties());
        props.put("flyway.datasources.default.enabled", true);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        props.put("dart.aws.sqs-endpoint", "http://127.0.0.1:" + port);
        props.put("dart.queue.create-missing", true);
        props.put("dart.queue.subscription-name", "subscription-test-" + unique());
        props.put("dart.subscription-worker.interval", "200ms");
        context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        worker = new SubscriptionWorkerMain(context);
        entities = context.getBean(Entities.class);
        nested = context.getBean(NestedEntities.class);
        store = context.getBean(EntityStore.class);
        db = context.getBean(Db.class);
        s3 = context.getBean(S3Client.class);
        engine = newEngine();
    }

    /** An engine with a consume_subscription action type; a test that takes its actions has one of its own. */
    private String newEngine() {
        String engine = "subs_" + unique();
        entities.create(EntityType.ENGINE, body(Map.of("name", engine, "options_json_schema", Map.of("type", "object"),
                "supported_action_types", List.of(Map.of("name", "consume_subscription", "params_json_schema",
                        Map.of("type", "object", "required", List.of("subscription_id"),
                                "properties", Map.of("subscription_id", Map.of("type", "string"))))))), admin);
        return engine;
    }

    @AfterAll
    void stop() {
        worker.close();
        context.close();
        sqsServer.stopAndWait();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static ObjectNode body(Object data) {
        ObjectNode b = Json.object();
        b.set("data", Json.MAPPER.valueToTree(data));
        return b;
    }

    private String bucket() {
        String bucket = "subs-" + unique();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private void put(String bucket, String key, int size) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[size]));
    }

    private String dataset(String location) {
        return entities.create(EntityType.DATASET, body(Map.of("name", "ds_" + unique(), "location", location,
                "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ","))),
                admin).id();
    }

    private Entity subscription(String datasetId, Map<String, Object> extra) {
        Map<String, Object> data = new HashMap<>(Map.of("name", "sub_" + unique()));
        data.putAll(extra);
        return nested.subscriptionOnDataset(datasetId, body(data), admin);
    }

    private Entity awaitState(String subscriptionId, String state) {
        Await.until("subscription " + subscriptionId + " is " + state, DEADLINE,
                () -> state.equals(db.read(c -> store.get(c, EntityType.SUBSCRIPTION, subscriptionId)).text("state")));
        return db.read(c -> store.get(c, EntityType.SUBSCRIPTION, subscriptionId));
    }

    private List<Entity> elements(String subscriptionId, String state) {
        List<Filter> filters = new ArrayList<>(List.of(Filter.eq("subscription_id", subscriptionId)));
        if (state != null) {
            filters.add(Filter.eq("state", state));
        }
        return db.read(c -> store.all(c, EntityType.SUBSCRIPTION_ELEMENT, ListQuery.of(filters)));
    }

    private Set<String> paths(List<Entity> elements) {
        Set<String> out = new HashSet<>();
        elements.forEach(e -> out.add(e.text("s3_path")));
        return out;
    }

    @Test
    void listsWithinThePrefixesAndTheRegex() {
        String bucket = bucket();
        for (String key : List.of("data/2026/01/a.csv", "data/2026/02/b.csv", "data/2026/02/c.json", "data/2026/03/d.csv",
                "data/2026/04/e.csv", "data2/x.csv", "other/y.csv")) {
            put(bucket, key, 10);
        }
        String ds = dataset("s3://" + bucket + "/data");
        Entity sub = subscription(ds, Map.of("s3_path_start_prefix_inclusive", "s3://" + bucket + "/data/2026/02",
                "s3_path_end_prefix_exclusive", "s3://" + bucket + "/data/2026/04",
                "s3_path_regex_filter", "\\.csv$"));
        assertEquals("QUEUED", sub.text("state"));
        Entity listed = awaitState(sub.id(), "ACTIVE");
        assertTrue(listed.text("generated_time") != null);
        assertEquals(Set.of("s3://" + bucket + "/data/2026/02/b.csv", "s3://" + bucket + "/data/2026/03/d.csv"),
                paths(elements(sub.id(), "UNCONSUMED")));

        Entity all = subscription(ds, Map.of());
        awaitState(all.id(), "ACTIVE");
        assertEquals(5, elements(all.id(), null).size(), "the dataset folder only, not data2/ or other/");
    }

    @Test
    void aPrefixThatMatchesNothingListsNothing() {
        String bucket = bucket();
        for (int i = 0; i < 5; i++) {
            put(bucket, "logs/2026/0" + i + ".gz", 3);
        }
        String ds = dataset("s3://" + bucket + "/logs/");
        Entity none = subscription(ds, Map.of("s3_path_start_prefix_inclusive", "s3://" + bucket + "/logs/2027"));
        awaitState(none.id(), "ACTIVE");
        assertEquals(0, elements(none.id(), null).size());

        Entity empty = subscription(dataset("s3://" + bucket + "/nothing-here"), Map.of());
        awaitState(empty.id(), "ACTIVE");
        assertEquals(0, elements(empty.id(), null).size());
    }

    @Test
    void listsPageByPage() throws Exception {
        String bucket = bucket();
        // more than one page of 1,000 keys, written straight into the server's files to keep the test quick
        java.nio.file.Path dir = TestS3.root().resolve(bucket).resolve("many");
        java.nio.file.Files.createDirectories(dir);
        for (int i = 0; i < 2_345; i++) {
            java.nio.file.Files.write(dir.resolve(String.format("f%05d.csv", i)), new byte[]{1});
        }
        Entity sub = subscription(dataset("s3://" + bucket + "/many"), Map.of());
        awaitState(sub.id(), "ACTIVE");
        assertEquals(2_345, elements(sub.id(), "UNCONSUMED").size());
    }

    @Test
    void aMissingBucketFailsTheSubscriptionWithTheReason() {
        Entity sub = subscription(dataset("s3://no-such-bucket-" + unique() + "/x"), Map.of());
        Entity failed = awaitState(sub.id(), "FAILED");
        assertTrue(failed.text("error_message").contains("does not exist"), failed.text("error_message"));
    }

    @Test
    void badBoundsAreRefusedWhenTheSubscriptionIsCreated() {
        String ds = dataset("s3://b-" + unique() + "/data");
        var outside = assertThrows(InvalidInputException.class, () -> subscription(ds,
                Map.of("s3_path_start_prefix_inclusive", "s3://elsewhere/data/1")));
        assertTrue(outside.getMessage().startsWith("/data/s3_path_start_prefix_inclusive:"), outside.getMessage());
        var regex = assertThrows(InvalidInputException.class, () -> subscription(ds,
                Map.of("s3_path_regex_filter", "(unclosed")));
        assertTrue(regex.getMessage().startsWith("/data/s3_path_regex_filter:"), regex.getMessage());
    }

    private static String s3Event(String bucket, String key, long size) {
        return s3Event(bucket, Map.of(key, size));
    }

    /** An S3 event notification as S3 sends it, one ObjectCreated record per file. */
    private static String s3Event(String bucket, Map<String, Long> sizes) {
        ObjectNode event = Json.object();
        var records = event.putArray("Records");
        sizes.forEach((key, size) -> {
            ObjectNode r = records.addObject().put("eventVersion", "2.1").put("eventSource", "aws:s3")
                    .put("eventName", "ObjectCreated:Put");
            ObjectNode s3 = r.putObject("s3");
            s3.putObject("bucket").put("name", bucket);
            s3.putObject("object").put("key", key).put("size", size);
        });
        return Json.write(event);
    }

    private void send(String body) {
        context.getBean(SqsClient.class).sendMessage(b -> b.queueUrl(context.getBean(SubscriptionQueue.class).url())
                .messageBody(body));
    }

    @Test
    void notificationsBareAndThroughSnsAddElementsWithoutListingAgain() {
        String bucket = bucket();
        put(bucket, "in/first.csv", 4);
        Entity sub = subscription(dataset("s3://" + bucket + "/in"), Map.of("s3_path_regex_filter", "\\.csv$"));
        awaitState(sub.id(), "ACTIVE");
        assertEquals(1, elements(sub.id(), null).size());

        send(s3Event(bucket, "in/second+file.csv", 7));
        String sns = Json.write(Json.object().put("Type", "Notification").put("TopicArn", "arn:aws:sns:us-east-1:1:t")
                .put("Message", s3Event(bucket, "in/third.csv", 9)));
        send(sns);
        send(s3Event(bucket, "in/ignored.txt", 1));
        send(s3Event(bucket, "elsewhere/x.csv", 1));
        send("{\"Service\": \"Amazon S3\", \"Event\": \"s3:TestEvent\", \"Bucket\": \"" + bucket + "\"}");
        send("not json");
        Await.until("the notified files are elements", DEADLINE, () -> elements(sub.id(), null).size() == 3);
        assertEquals(Set.of("s3://" + bucket + "/in/first.csv", "s3://" + bucket + "/in/second file.csv",
                "s3://" + bucket + "/in/third.csv"), paths(elements(sub.id(), null)));

        send(s3Event(bucket, "in/third.csv", 9));
        send(s3Event(bucket, "in/fourth.csv", 1));
        Await.until("the fourth file is an element", DEADLINE, () -> elements(sub.id(), null).size() == 4);
        assertEquals(4, elements(sub.id(), null).size(), "a repeated notification adds nothing");
    }

    /** A workflow with one consume_subscription step, and a subscription_batch trigger on it. */
    private String batchWorkflow(String subscriptionId, long threshold, int concurrency) {
        return batchWorkflow(engine, subscriptionId, threshold, concurrency);
    }

    private String batchWorkflow(String engine, String subscriptionId, long threshold, int concurrency) {
        String ds = entities.create(EntityType.DATASTORE, body(Map.of("name", "d", "engine_name", engine,
                "state", "TEMPLATE", "concurrency", 10)), admin).id();
        String wf = nested.workflowOnDatastore(ds, body(Map.of("name", "w-" + unique(), "state", "ACTIVE",
                "concurrency", concurrency)), admin).id();
        nested.actionsOnWorkflow(wf, body(Map.of("name", "consume", "action_type_name", "consume_subscription",
                "on_failure", "HALT", "args", Map.of("subscription_id", subscriptionId))), admin);
        entities.create(EntityType.TRIGGER, body(Map.of("name", "t-" + unique(), "trigger_type_name",
                "subscription_batch", "state", "ACTIVE", "workflow_ids", List.of(wf), "args",
                Map.of("subscription_id", subscriptionId, "unconsumed_data_size_in_bytes", threshold))), admin);
        return wf;
    }

    private List<Entity> instances(String workflowId) {
        return db.read(c -> store.all(c, EntityType.WORKFLOW_INSTANCE,
                ListQuery.of(List.of(Filter.eq("workflow_id", workflowId)))));
    }

    private List<Entity> consumeActions(String workflowId) {
        return db.read(c -> store.all(c, EntityType.ACTION, ListQuery.of(List.of(Filter.eq("workflow_id", workflowId),
                Filter.eq("action_type_name", "consume_subscription")))))
                .stream().filter(a -> a.text("workflow_instance_id") != null).toList();
    }

    /** An ACTIVE subscription of {@code sizes.length} files, named f0, f1, ... in path order. */
    private Entity listedSubscription(int... sizes) {
        String bucket = bucket();
        for (int i = 0; i < sizes.length; i++) {
            put(bucket, "b/f" + i, sizes[i]);
        }
        Entity sub = subscription(dataset("s3://" + bucket + "/b"), Map.of());
        awaitState(sub.id(), "ACTIVE");
        return sub;
    }

    @Test
    void batchesFireExactlyAtAndAboveTheThresholdButNotBelow() {
        Entity sub = listedSubscription(30, 30, 30);
        String wf = batchWorkflow(sub.id(), 100, 5);
        context.getBean(SubscriptionBatches.class).evaluate(sub.id());
        assertEquals(0, instances(wf).size(), "90 bytes are below 100");

        send(s3Event(bucketOf(sub), "b/f3", 10));
        Await.until("a batch of exactly 100 bytes fires", DEADLINE, () -> instances(wf).size() == 1);
        List<Entity> assigned = elements(sub.id(), "ASSIGNED");
        assertEquals(4, assigned.size());
        String action = consumeActions(wf).get(0).id();
        assigned.forEach(e -> assertEquals(action, e.text("action_id")));

        send(s3Event(bucketOf(sub), Map.of("b/f4", 60L, "b/f5", 60L, "b/f6", 60L)));
        Await.until("the next batch fires", DEADLINE, () -> instances(wf).size() == 2);
        assertEquals(Set.of("s3://" + bucketOf(sub) + "/b/f6"), paths(elements(sub.id(), "UNCONSUMED")),
                "60 + 60 crosses 100 at f5, which is in the batch; f6 waits for more");
    }

    private String bucketOf(Entity subscription) {
        Entity dataset = db.read(c -> store.get(c, EntityType.DATASET, subscription.text("dataset_id")));
        return dataset.text("location").substring("s3://".length()).split("/")[0];
    }

    @Test
    void workersRacingNeverPutAnElementInTwoBatches() throws Exception {
        int[] sizes = new int[200];
        java.util.Arrays.fill(sizes, 10);
        Entity sub = listedSubscription(sizes);
        // five triggers of ten runs at most each compete for the files, with this worker and four more threads
        List<String> workflows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            workflows.add(batchWorkflow(sub.id(), 50, 10));
        }
        SubscriptionBatches batches = context.getBean(SubscriptionBatches.class);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Integer>> racers = Collections.nCopies(4, () -> batches.evaluate(sub.id()));
        for (Future<Integer> f : pool.invokeAll(racers)) {
            f.get();
        }
        pool.shutdown();
        Await.until("200 files of 10 bytes make 40 batches of 50 bytes", DEADLINE,
                () -> workflows.stream().mapToInt(w -> instances(w).size()).sum() == 40);
        Map<String, Integer> perAction = new HashMap<>();
        for (Entity e : elements(sub.id(), "ASSIGNED")) {
            perAction.merge(e.text("action_id"), 1, Integer::sum);
        }
        assertEquals(40, perAction.size(), "every batch went to one action");
        perAction.values().forEach(n -> assertEquals(5, n, "and no file went to two"));
        assertEquals(0, elements(sub.id(), "UNCONSUMED").size() + elements(sub.id(), "RESERVED").size());
    }

    @Test
    void aTriggerWithoutWorkflowsStillFiresAndASuperTriggerListingItTakesTheBatch() {
        Entity sub = listedSubscription(60, 60);
        String wf = batchWorkflow(sub.id(), 1_000_000, 5);
        String bare = entities.create(EntityType.TRIGGER, body(Map.of("name", "bare-" + unique(), "trigger_type_name",
                "subscription_batch", "state", "ACTIVE", "workflow_ids", List.of(), "args",
                Map.of("subscription_id", sub.id(), "unconsumed_data_size_in_bytes", 100))), admin).id();
        entities.create(EntityType.TRIGGER, body(Map.of("name", "super-" + unique(), "trigger_type_name", "super",
                "state", "ACTIVE", "workflow_ids", List.of(wf), "args",
                Map.of("fire_after", "ANY", "completed_trigger_ids", List.of(bare)))), admin);
        Await.until("the super trigger listing the bare one starts its workflow", DEADLINE,
                () -> instances(wf).size() == 1);
        assertEquals(2, elements(sub.id(), "ASSIGNED").size(), "the batch the bare trigger reserved is consumed by "
                + "the run the super trigger started");
        assertEquals(0, elements(sub.id(), "UNCONSUMED").size());
    }

    @Test
    void aBatchWaitsWhileItsWorkflowIsAtItsConcurrency() {
        Entity sub = listedSubscription(60, 60, 60, 60);
        String wf = batchWorkflow(sub.id(), 100, 1);
        Await.until("one batch fires", DEADLINE, () -> instances(wf).size() == 1);
        assertEquals(0, context.getBean(SubscriptionBatches.class).evaluate(sub.id()),
                "the second batch waits: the workflow runs at most one instance at a time");
        assertEquals(1, instances(wf).size());
        assertEquals(2, elements(sub.id(), "UNCONSUMED").size(), "the waiting batch is not reserved");
    }

    @Test
    void aSuccessfulConsumeConsumesAndAFailedOneReturnsTheFiles() {
        Entity sub = listedSubscription(10, 10, 10, 10);
        String engine = newEngine();
        String wf = batchWorkflow(engine, sub.id(), 20, 5);
        Await.until("two batches fire", DEADLINE, () -> instances(wf).size() == 2);
        EngineProtocol protocol = context.getBean(EngineProtocol.class);
        Caller engineCaller = new Caller("engine@example.com", Role.ENGINE, engine);
        var first = protocol.claim(engine, engineCaller).orElseThrow();
        String firstId = first.path("action").path("id").asText();
        protocol.checkin(firstId, Json.object().put("state", "SUCCESS"), engineCaller);
        var second = protocol.claim(engine, engineCaller).orElseThrow();
        String secondId = second.path("action").path("id").asText();
        protocol.checkin(secondId, Json.object().put("state", "FAILURE").put("error_message", "bad file"),
                engineCaller);

        List<Entity> consumed = elements(sub.id(), "CONSUMED");
        assertEquals(2, consumed.size());
        consumed.forEach(e -> assertEquals(firstId, e.text("action_id")));
        assertEquals(0, elements(sub.id(), "ASSIGNED").size());
        assertEquals(0, elements(sub.id(), "RESERVED").size());
        Await.until("the returned files make a new batch", DEADLINE, () -> instances(wf).size() == 3);
    }
}

package io.dartmart.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.testing.Await;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.engines.noop.NoOpEngine;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.TriggerWorkerMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.dartmart.local.AdminApi.MAPPER;
import static io.dartmart.local.AdminApi.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's subscription walkthrough as a test, with every part local mode runs: the API, the trigger worker, the
 * subscription worker and the no_op engine's pull workers, over PostgreSQL, ElasticMQ and an S3Proxy whose uploads
 * are notified to the subscription queue ({@link NotifyingBlobStore}). Files go in through the S3 protocol; everything
 * else goes through the HTTP API, as a user would do it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionEndToEndTest {
    private static final String ACCESS_KEY = "e2e";
    private static final String SECRET_KEY = "e2e-secret";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** Every test file is this: 20 bytes, so sizes add up in the assertions. */
    private static final String CSV = "id,amount\n1,10\n2,20\n";

    private EmbeddedAws aws;
    private S3Client s3;
    private EmbeddedServer server;
    private AdminApi api;
    private final List<AutoCloseable> workers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        aws = new EmbeddedAws(ACCESS_KEY, SECRET_KEY);
        s3 = aws.s3();
        // batches are evaluated after each notification anyway; the interval only bounds the wait for the others
        Map<String, Object> props = aws.serverProperties();
        props.put("dart.subscription-worker.interval", "200ms");
        server = AdminApi.startServer(props);
        api = new AdminApi(server.getURI());
        ApplicationContext context = server.getApplicationContext();
        workers.add(new TriggerWorkerMain(context));
        workers.add(new SubscriptionWorkerMain(context));
        workers.addAll(LocalEngines.start(context, server.getURI().toString()));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable w : workers) {
            w.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void uploadsFillASubscriptionAndABatchOfThemIsConsumedByTheWorkflowItTriggers() throws Exception {
        String bucket = bucket();
        upload(bucket, "incoming/a.csv");
        upload(bucket, "incoming/b.csv");
        upload(bucket, "elsewhere/x.csv");
        String subscription = subscription(dataset(bucket));
        awaitState(subscription, "ACTIVE");
        assertEquals(elementStats("UNCONSUMED", 2, 40), stats(subscription),
                "the listing found the dataset's two files");

        String workflow = workflow(step("load", "consume_subscription", subscription));
        trigger(subscription, workflow, 50);
        upload(bucket, "incoming/c.csv");

        JsonNode run = api.awaitRun(workflow, 1, "COMPLETED", DEADLINE);
        awaitStats(subscription, elementStats("CONSUMED", 3, 60));
        upload(bucket, "incoming/d.csv");
        awaitStats(subscription, elementStats("CONSUMED", 3, 60, "UNCONSUMED", 1, 20));
        assertEquals(1, api.instances(workflow).size(),
                "one batch so far: 20 unconsumed bytes are below the threshold");

        String batch = run.path("data").path("subscription_batch_id").asText();
        JsonNode step = api.actionsOf(run.get("id").asText()).get(0);
        assertEquals("COMPLETED", step.path("data").path("state").asText(), step::toString);
        JsonNode consumed = api.get("/api/1/action/" + step.get("id").asText() + "/subscription/elements")
                .get("results");
        Set<String> paths = new TreeSet<>();
        for (JsonNode e : consumed) {
            paths.add(e.path("data").path("s3_path").asText());
            assertEquals("CONSUMED", e.path("data").path("state").asText(), e::toString);
            assertEquals(batch, e.path("data").path("batch_id").asText(), e::toString);
        }
        assertEquals(Set.of("s3://" + bucket + "/incoming/a.csv", "s3://" + bucket + "/incoming/b.csv",
                "s3://" + bucket + "/incoming/c.csv"), paths, "the batch, in path order up to the threshold");
        JsonNode left = api.get("/api/1/subscription/" + subscription + "/elements?state=UNCONSUMED").get("results");
        assertEquals("s3://" + bucket + "/incoming/d.csv", left.get(0).path("data").path("s3_path").asText(),
                left::toString);
    }

    @Test
    void aRunThatFailsBeforeConsumingGivesItsBatchBack() throws Exception {
        String bucket = bucket();
        for (String name : List.of("a", "b", "c")) {
            upload(bucket, "incoming/" + name + ".csv");
        }
        String subscription = subscription(dataset(bucket));
        awaitState(subscription, "ACTIVE");
        String workflow = workflow(step("check", "fake_action_that_fails", null),
                step("load", "consume_subscription", subscription));
        trigger(subscription, workflow, 50);

        JsonNode run = api.awaitRun(workflow, 1, "FAILED", DEADLINE);
        ArrayNode steps = api.actionsOf(run.get("id").asText());
        assertEquals("FAILED", steps.get(0).path("data").path("state").asText(), steps::toString);
        assertEquals("SKIPPED", steps.get(1).path("data").path("state").asText(), steps::toString);
        awaitStats(subscription, elementStats("UNCONSUMED", 3, 60));
        assertEquals("INACTIVE", api.get("/api/1/workflow/" + workflow).path("results").path("data").path("state")
                .asText(), "the failed run deactivated its workflow, so the batch waits for it");
    }

    @Test
    void postgresEngineLoadsABatchIntoTheLocalWarehouse() throws Exception {
        String bucket = bucket();
        for (String name : List.of("a", "b", "c")) {
            upload(bucket, "incoming/" + name + ".csv");
        }
        String dataset = api.create("/api/1/dataset", Map.of("name", "orders_" + unique(),
                "location", "s3://" + bucket + "/incoming/",
                "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ",",
                        "num_header_rows", 1),
                "columns", List.of(Map.of("name", "id", "data_type", "BIGINT"),
                        Map.of("name", "amount", "data_type", "NUMERIC"))));
        String subscription = subscription(dataset);
        awaitState(subscription, "ACTIVE");
        String table = "orders_" + unique();
        String workflow = api.create("/api/1/datastore/" + LocalWarehouse.provision(server.getApplicationContext())
                + "/workflow", Map.of("name", "load orders", "state", "ACTIVE"));
        api.call("POST", "/api/1/workflow/" + workflow + "/action", MAPPER.valueToTree(List.of(data(Map.of(
                "name", "load", "action_type_name", "consume_subscription", "args", Map.of(
                        "subscription_id", subscription, "target_table_name", table))))));
        trigger(subscription, workflow, 50);

        api.awaitRun(workflow, 1, "COMPLETED", DEADLINE);
        awaitStats(subscription, elementStats("CONSUMED", 3, 60));
        String url = TestDatabase.jdbcUrl().replace("/postgres?", "/" + LocalWarehouse.DATABASE + "?");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*), sum(amount) FROM \"" + table + "\"")) {
            r.next();
            assertEquals(6, r.getLong(1), "two rows from each of the batch's three files");
            assertEquals(90, r.getLong(2));
        }
    }

    // ---- S3

    private String bucket() {
        String name = "e2e-subs-" + unique();
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private void upload(String bucket, String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(CSV));
    }

    // ---- the API, as the README's walkthrough calls it

    private String dataset(String bucket) throws Exception {
        return api.create("/api/1/dataset", Map.of("name", "orders_" + unique(),
                "location", "s3://" + bucket + "/incoming/",
                "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ",",
                        "num_header_rows", 1)));
    }

    private String subscription(String dataset) throws Exception {
        return api.create("/api/1/dataset/" + dataset + "/subscription", Map.of("name", "new orders"));
    }

    /** A TEMPLATE no_op datastore that does not sleep, and an ACTIVE workflow of these steps on it. */
    private String workflow(ObjectNode... steps) throws Exception {
        String datastore = api.create("/api/1/datastore", Map.of("name", "orders mart",
                "engine_name", NoOpEngine.NAME, "state", "TEMPLATE", "args", Map.of(NoOpEngine.SLEEP_OPTION, 0)));
        String workflow = api.create("/api/1/datastore/" + datastore + "/workflow",
                Map.of("name", "load new orders", "state", "ACTIVE"));
        api.call("POST", "/api/1/workflow/" + workflow + "/action", MAPPER.valueToTree(steps));
        return workflow;
    }

    private static ObjectNode step(String name, String type, String subscription) {
        Map<String, Object> args = subscription == null ? Map.of() : Map.of("subscription_id", subscription);
        return data(Map.of("name", name, "action_type_name", type, "args", args));
    }

    private void trigger(String subscription, String workflow, long bytes) throws Exception {
        api.create("/api/1/trigger", Map.of("name", "every " + bytes + " bytes",
                "trigger_type_name", "subscription_batch", "state", "ACTIVE", "workflow_ids", List.of(workflow),
                "args", Map.of("subscription_id", subscription, "unconsumed_data_size_in_bytes", bytes)));
    }

    private void awaitState(String subscription, String state) {
        Await.until("subscription " + subscription + " is " + state, DEADLINE, () -> state.equals(api.get(
                "/api/1/subscription/" + subscription).path("results").path("data").path("state").asText()));
    }

    private JsonNode stats(String subscription) {
        return api.get("/api/1/subscription/" + subscription + "/element_stats").get("results");
    }

    private void awaitStats(String subscription, JsonNode expected) {
        JsonNode[] last = new JsonNode[1];
        try {
            Await.until("subscription " + subscription + " has " + expected, DEADLINE,
                    () -> expected.equals(last[0] = stats(subscription)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen " + last[0], e);
        }
    }

    /** element_stats as the API answers them: {@code state, count, file_size_sum} triples in state order. */
    private static JsonNode elementStats(Object... triples) {
        ArrayNode out = MAPPER.createArrayNode();
        for (int i = 0; i < triples.length; i += 3) {
            out.addObject().put("state", (String) triples[i]).put("count", (Integer) triples[i + 1])
                    .put("file_size_sum", (Integer) triples[i + 2]);
        }
        return out;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}

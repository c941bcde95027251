package io.dartmart.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.testing.TestS3;
import io.dartmart.engines.s3.S3Engine;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.dartmart.local.AdminApi.MAPPER;
import static io.dartmart.local.AdminApi.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The s3 engine as local mode runs it ({@link LocalEngines}: pull workers with their own engine key, pointed at the
 * S3 of {@code dart.aws.*}), against the real API server in-process and a real S3 protocol server: workflows whose
 * steps check that data arrived and copy it, as a user would set them up over the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class S3EngineEndToEndTest {
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(30);

    private EmbeddedServer server;
    private AdminApi api;
    private S3Client s3;
    private final List<AutoCloseable> engines = new ArrayList<>();

    @BeforeAll
    void startServerAndEngines() throws Exception {
        server = AdminApi.startServer(TestS3.properties());
        api = new AdminApi(server.getURI());
        s3 = server.getApplicationContext().getBean(S3Client.class);
        engines.addAll(LocalEngines.start(server.getApplicationContext(), server.getURI().toString()));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : engines) {
            c.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    @Test
    void aWorkflowChecksThatDataArrivedThenCopiesItAndARerunCopiesNothing() throws Exception {
        String src = bucket("e2e-src");
        String dst = bucket("e2e-dst");
        put(src, "landing/2026-11-22/orders.csv", "id,total\n1,10\n");
        put(src, "landing/2026-11-22/_SUCCESS", "");
        put(src, "landing/2026-11-22/notes.txt", "not data");
        // the datastore names the endpoint itself, as one on an S3-compatible store would
        String workflow = workflow(Map.of("endpoint", TestS3.endpoint(), "region", "us-east-1"),
                step("arrived", "data_check", Map.of("s3_path_prefix", "s3://" + src + "/landing/",
                        "s3_path_regex", ".*\\.csv", "min_file_size_in_bytes", 1)),
                step("publish", "copy", Map.of("from_path", "s3://" + src + "/landing",
                        "to_path", "s3://" + dst + "/mart/orders", "regex_filter", ".*\\.csv")));

        JsonNode first = run(workflow, 1, "COMPLETED");
        for (JsonNode action : api.actionsOf(first.get("id").asText())) {
            assertEquals("COMPLETED", action.path("data").path("state").asText(), action::toString);
            assertEquals(1.0, action.path("data").path("progress").asDouble(), action::toString);
        }
        assertEquals(List.of("mart/orders/2026-11-22/orders.csv"), keys(dst));
        assertEquals("id,total\n1,10\n", s3.getObjectAsBytes(b -> b.bucket(dst)
                .key("mart/orders/2026-11-22/orders.csv")).asUtf8String());
        Instant copied = s3.headObject(b -> b.bucket(dst).key("mart/orders/2026-11-22/orders.csv")).lastModified();

        run(workflow, 2, "COMPLETED");
        assertEquals(List.of("mart/orders/2026-11-22/orders.csv"), keys(dst));
        assertEquals(copied, s3.headObject(b -> b.bucket(dst).key("mart/orders/2026-11-22/orders.csv"))
                .lastModified(), "the re-run skipped the object the destination already had");
    }

    @Test
    void aDataCheckThatFindsNothingFailsTheRunWithWhatItLookedFor() throws Exception {
        String src = bucket("e2e-empty");
        put(src, "landing/tiny.csv", "1");
        String workflow = workflow(Map.of(),
                step("arrived", "data_check", Map.of("s3_path_prefix", "s3://" + src + "/landing/",
                        "min_file_size_in_bytes", 100)),
                step("publish", "copy", Map.of("from_path", "s3://" + src + "/landing",
                        "to_path", "s3://" + src + "/published")));

        JsonNode instance = run(workflow, 1, "FAILED");
        ArrayNode actions = api.actionsOf(instance.get("id").asText());
        JsonNode check = actions.get(0).get("data");
        assertEquals("FAILED", check.get("state").asText(), check::toString);
        assertEquals("no object under s3://" + src + "/landing/ has at least 100 bytes (1 object looked at,"
                + " largest 1 bytes)", check.get("error_message").asText());
        assertEquals("SKIPPED", actions.get(1).path("data").path("state").asText(), actions::toString);
        assertEquals(List.of("landing/tiny.csv"), keys(src));
    }

    @Test
    void theApiRefusesArgsAndOptionsTheEngineDoesNotTake() throws Exception {
        String workflow = workflow(Map.of());
        HttpResponse<String> badPath = api.send("POST", "/api/1/workflow/" + workflow + "/action",
                step("copy", "copy", Map.of("from_path", "hdfs://warehouse/t", "to_path", "s3://b/t")));
        assertEquals(400, badPath.statusCode(), badPath::body);
        String message = MAPPER.readTree(badPath.body()).path("error_message").asText();
        assertTrue(message.startsWith("/data/args/from_path") && message.contains("^s3://.+$"), message);

        HttpResponse<String> negative = api.send("POST", "/api/1/workflow/" + workflow + "/action",
                step("check", "data_check", Map.of("s3_path_prefix", "s3://b/p", "min_file_size_in_bytes", -1)));
        assertEquals(400, negative.statusCode(), negative::body);
        assertTrue(negative.body().contains("/data/args/min_file_size_in_bytes"), negative::body);

        HttpResponse<String> option = api.send("POST", "/api/1/datastore", data(Map.of("name", "s3-bad",
                "engine_name", S3Engine.NAME, "args", Map.of("bucket", "b"))));
        assertEquals(400, option.statusCode(), option::body);
        assertTrue(option.body().contains("/data/args"), option::body);
    }

    // ---- helpers

    private String bucket(String purpose) {
        String name = purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private void put(String bucket, String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private static ObjectNode step(String name, String type, Map<String, Object> args) {
        return data(Map.of("name", name, "action_type_name", type, "args", args));
    }

    /** A TEMPLATE datastore of s3_engine with these options, and an ACTIVE workflow of these steps on it. */
    private String workflow(Map<String, Object> options, ObjectNode... steps) throws Exception {
        String datastore = api.create("/api/1/datastore", Map.of("name", "s3-e2e",
                "engine_name", S3Engine.NAME, "state", "TEMPLATE", "args", options));
        String workflow = api.create("/api/1/datastore/" + datastore + "/workflow",
                Map.of("name", "w", "state", "ACTIVE"));
        if (steps.length > 0) {
            api.call("POST", "/api/1/workflow/" + workflow + "/action", MAPPER.valueToTree(steps));
        }
        return workflow;
    }

    /** Starts a run of the workflow and waits for it, its {@code n}th, to end in {@code state}. */
    private JsonNode run(String workflow, int n, String state) throws Exception {
        api.call("POST", "/api/1/workflow/" + workflow + "/do-manual-trigger", null);
        return api.awaitRun(workflow, n, state, RUN_DEADLINE);
    }
}

package io.dartmart.engines.noop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.DartEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The no_op engine's registration, pinned to the reference, and its handlers; no server involved. */
class NoOpEngineTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory DRAFT7 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static DartEngine engine() {
        return NoOpEngine.builder().apiUrl("http://localhost:5000").apiKey("k:s").build();
    }

    @Test
    void theRegistrationIsTheReferences() {
        JsonNode expected = json("""
                {"name": "no_op_engine", "description": "Helps engineering test dart",
                 "options_json_schema": {"type": "object",
                   "properties": {"action_sleep_time_in_seconds": {"type": "integer", "minimum": 0, "default": 5,
                     "description": "The time to sleep for each action before completing"}},
                   "additionalProperties": false},
                 "supported_action_types": [
                   {"name": "fake_action_that_succeeds", "description": "helps engineers develop and test",
                    "params_json_schema": {"type": "object"}},
                   {"name": "fake_action_that_fails", "description": "helps engineers develop and test",
                    "params_json_schema": {"type": "object"}},
                   {"name": "fake_copy_hdfs_to_s3", "description": "Copies data at the specified hdfs path to s3",
                    "params_json_schema": {"type": "object", "properties": {
                      "source_hdfs_path": {"type": "string", "pattern": "^hdfs://.+$",
                        "description": "The source hdfs path, e.g. hdfs:///user/hive/warehouse/table"},
                      "destination_s3_path": {"type": "string", "pattern": "^s3://.+$",
                        "description": "The destination s3 path, e.g. s3://bucket/prefix"}},
                     "additionalProperties": false, "required": ["source_hdfs_path", "destination_s3_path"]}},
                   {"name": "fake_load_dataset", "description": "Copies the dataset from s3 to the datastore",
                    "params_json_schema": {"type": "object", "properties": {
                      "dataset_id": {"type": "string", "description": "The id of the dataset to load"}},
                     "additionalProperties": false, "required": ["dataset_id"]}},
                   {"name": "consume_subscription",
                    "description": "Consumes the next available dataset subscription elements",
                    "params_json_schema": {"type": "object", "properties": {
                      "subscription_id": {"type": "string", "description": "The id of the subscription to consume"}},
                     "additionalProperties": false, "required": ["subscription_id"]}}]}""");
        assertEquals(expected, NoOpEngine.registration());
        assertEquals(expected, engine().registration(), "the SDK registers exactly the resource");
        assertFalse(engine().registration().has("launcher"), "registration leaves an operator's launcher alone");
        assertEquals(NoOpEngine.NAME, engine().name());
    }

    @Test
    void everySchemaIsValidDraft07() {
        JsonSchema meta = DRAFT7.getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V7.getId()));
        ObjectNode reg = NoOpEngine.registration();
        assertEquals(Set.of(), meta.validate(reg.get("options_json_schema")));
        for (JsonNode type : reg.get("supported_action_types")) {
            assertEquals(Set.of(), meta.validate(type.get("params_json_schema")), type.get("name").asText());
        }
    }

    @Test
    void theOptionsSchemaTakesOnlyAWholeNonNegativeSleep() {
        JsonSchema options = DRAFT7.getSchema(NoOpEngine.registration().get("options_json_schema"));
        assertValid(options, "{}", "{\"action_sleep_time_in_seconds\": 0}", "{\"action_sleep_time_in_seconds\": 30}");
        assertInvalid(options, "{\"action_sleep_time_in_seconds\": -1}", "{\"action_sleep_time_in_seconds\": 1.5}",
                "{\"action_sleep_time_in_seconds\": \"5\"}", "{\"other\": 1}");
        assertEquals(5, NoOpEngine.registration().at("/options_json_schema/properties/action_sleep_time_in_seconds/default")
                .asInt());
    }

    @Test
    void exampleArgsAgainstEachActionType() {
        Map<String, String[][]> examples = Map.of(
                "fake_action_that_succeeds", new String[][]{{"{}", "{\"anything\": 1}"}, {"[]"}},
                "fake_action_that_fails", new String[][]{{"{}"}, {"\"x\""}},
                "fake_copy_hdfs_to_s3", new String[][]{
                        {"{\"source_hdfs_path\": \"hdfs:///user/hive/warehouse/t\", \"destination_s3_path\": \"s3://b/p\"}"},
                        {"{}", "{\"source_hdfs_path\": \"hdfs:///a\"}",
                                "{\"source_hdfs_path\": \"s3://a\", \"destination_s3_path\": \"s3://b/p\"}",
                                "{\"source_hdfs_path\": \"hdfs://a\", \"destination_s3_path\": \"hdfs://b\"}",
                                "{\"source_hdfs_path\": \"hdfs://\", \"destination_s3_path\": \"s3://b\"}",
                                "{\"source_hdfs_path\": \"hdfs://a\", \"destination_s3_path\": \"s3://b\", \"x\": 1}"}},
                "fake_load_dataset", new String[][]{{"{\"dataset_id\": \"DS1\"}"}, {"{}", "{\"dataset_id\": 7}"}},
                "consume_subscription", new String[][]{{"{\"subscription_id\": \"S1\"}"},
                        {"{}", "{\"subscription_id\": \"S1\", \"extra\": true}"}});
        List<String> seen = new ArrayList<>();
        for (JsonNode type : NoOpEngine.registration().get("supported_action_types")) {
            String name = type.get("name").asText();
            seen.add(name);
            JsonSchema schema = DRAFT7.getSchema(type.get("params_json_schema"));
            assertValid(schema, examples.get(name)[0]);
            assertInvalid(schema, examples.get(name)[1]);
        }
        assertEquals(List.of("fake_action_that_succeeds", "fake_action_that_fails", "fake_copy_hdfs_to_s3",
                "fake_load_dataset", "consume_subscription"), seen);
    }

    private static void assertValid(JsonSchema schema, String... instances) {
        for (String i : instances) {
            Set<ValidationMessage> errors = schema.validate(json(i));
            assertTrue(errors.isEmpty(), i + " -> " + errors);
        }
    }

    private static void assertInvalid(JsonSchema schema, String... instances) {
        for (String i : instances) {
            assertFalse(schema.validate(json(i)).isEmpty(), i + " should be refused");
        }
    }

    @Test
    void theSleepComesFromTheDatastoreWithTheReferenceDefault() {
        assertEquals(Duration.ofSeconds(5), NoOpEngine.sleepTime(null), "no datastore");
        assertEquals(Duration.ofSeconds(5), NoOpEngine.sleepTime(json("{}")), "option unset");
        assertEquals(Duration.ofSeconds(5), NoOpEngine.sleepTime(json("{\"action_sleep_time_in_seconds\": null}")));
        assertEquals(Duration.ZERO, NoOpEngine.sleepTime(json("{\"action_sleep_time_in_seconds\": 0}")));
        assertEquals(Duration.ofSeconds(12), NoOpEngine.sleepTime(json("{\"action_sleep_time_in_seconds\": 12}")));
        assertEquals(Duration.ZERO, NoOpEngine.sleepTime(json("{\"action_sleep_time_in_seconds\": -3}")));
    }

    // ---- handlers, with a context that records instead of calling an API

    @Test
    void theSucceedingActionsSleepThenReturn() throws Exception {
        for (String type : List.of("fake_action_that_succeeds", "fake_copy_hdfs_to_s3", "fake_load_dataset")) {
            RecordingContext ctx = new RecordingContext(type, json("{\"action_sleep_time_in_seconds\": 3}"), List.of());
            NoOpEngine.handlers().get(type).run(ctx);
            assertEquals(List.of(Duration.ofSeconds(3)), ctx.sleeps, type);
        }
        RecordingContext noDatastore = new RecordingContext("fake_action_that_succeeds", null, List.of());
        NoOpEngine.handlers().get("fake_action_that_succeeds").run(noDatastore);
        assertEquals(List.of(Duration.ofSeconds(5)), noDatastore.sleeps);
    }

    @Test
    void theFailingActionFailsWithTheReferenceMessage() {
        RecordingContext ctx = new RecordingContext("fake_action_that_fails", json("{\"action_sleep_time_in_seconds\": 0}"),
                List.of());
        Exception e = assertThrows(Exception.class, () -> NoOpEngine.handlers().get("fake_action_that_fails").run(ctx));
        assertEquals("fake_action_that_fails failed as expected", e.getMessage());
        assertEquals(NoOpEngine.FAILURE_MESSAGE, e.getMessage());
        assertEquals(List.of(Duration.ZERO), ctx.sleeps, "it sleeps first, like the others");
    }

    @Test
    void consumeSubscriptionReadsEveryElementAndReportsProgress() throws Exception {
        List<JsonNode> elements = List.of(json("{\"id\": \"1\"}"), json("{\"id\": \"2\"}"), json("{\"id\": \"3\"}"));
        RecordingContext ctx = new RecordingContext("consume_subscription", json("{\"action_sleep_time_in_seconds\": 1}"),
                elements);
        NoOpEngine.handlers().get("consume_subscription").run(ctx);
        assertEquals(1, ctx.iterations);
        assertEquals(List.of(Duration.ofSeconds(1)), ctx.sleeps);
        assertEquals(List.of(1.0), ctx.progress);
    }

    @Test
    void everyRegisteredTypeHasAHandler() {
        List<String> registered = new ArrayList<>();
        NoOpEngine.registration().get("supported_action_types").forEach(t -> registered.add(t.get("name").asText()));
        assertEquals(registered, List.copyOf(NoOpEngine.handlers().keySet()));
    }

    private static final class RecordingContext implements ActionContext {
        final String type;
        final JsonNode datastoreArgs;
        final List<JsonNode> elements;
        final List<Duration> sleeps = new ArrayList<>();
        final List<Double> progress = new ArrayList<>();
        int iterations;

        RecordingContext(String type, JsonNode datastoreArgs, List<JsonNode> elements) {
            this.type = type;
            this.datastoreArgs = datastoreArgs;
            this.elements = elements;
        }

        @Override
        public String actionId() {
            return "A1";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public String actionTypeName() {
            return type;
        }

        @Override
        public JsonNode actionArgs() {
            return MAPPER.createObjectNode();
        }

        @Override
        public JsonNode datastoreArgs() {
            return datastoreArgs;
        }

        @Override
        public JsonNode parameters() {
            return null;
        }

        @Override
        public JsonNode action() {
            return MAPPER.createObjectNode().put("id", "A1");
        }

        @Override
        public JsonNode datastore() {
            return null;
        }

        @Override
        public void progress(double fraction) {
            progress.add(fraction);
        }

        @Override
        public Iterable<JsonNode> subscriptionElements() {
            return () -> {
                iterations++;
                return elements.iterator();
            };
        }

        @Override
        public JsonNode entity(String entityType, String id) {
            throw new AssertionError("the no_op engine reads no entity");
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
        }

        @Override
        public boolean isStopped() {
            return false;
        }
    }
}

package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dartmart.domain.testing.TestS3;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.s3.S3EngineMain.Settings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The s3 engine's registration and schemas, its environment, and where its S3 clients point. */
class S3EngineTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory DRAFT7 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static JsonSchema paramsOf(String type) {
        for (JsonNode t : S3Engine.registration().get("supported_action_types")) {
            if (t.get("name").asText().equals(type)) {
                return DRAFT7.getSchema(t.get("params_json_schema"));
            }
        }
        throw new AssertionError("no action type " + type);
    }

    @Test
    void theEngineRegistersItsNameAndTwoActionTypes() {
        DartEngine engine = S3Engine.builder(TestBuckets.CLIENTS, Clock.systemUTC()).apiUrl("http://localhost:5000")
                .apiKey("k:s").build();
        assertEquals(S3Engine.NAME, engine.name());
        assertEquals("s3_engine", engine.name());
        assertEquals(S3Engine.registration(), engine.registration(), "the SDK registers exactly the resource");
        assertFalse(engine.registration().has("launcher"), "registration leaves an operator's launcher alone");
        List<String> types = new ArrayList<>();
        engine.registration().get("supported_action_types").forEach(t -> types.add(t.get("name").asText()));
        assertEquals(List.of("copy", "data_check"), types);
        assertEquals(List.copyOf(S3Engine.handlers(TestBuckets.CLIENTS, Clock.systemUTC()).keySet()), types);
    }

    @Test
    void everySchemaIsValidDraft07() {
        JsonSchema meta = DRAFT7.getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V7.getId()));
        ObjectNode reg = S3Engine.registration();
        assertEquals(Set.of(), meta.validate(reg.get("options_json_schema")));
        for (JsonNode type : reg.get("supported_action_types")) {
            assertEquals(Set.of(), meta.validate(type.get("params_json_schema")), type.get("name").asText());
        }
    }

    @Test
    void theDatastoreOptionsAreAnEndpointAndARegion() {
        JsonSchema options = DRAFT7.getSchema(S3Engine.registration().get("options_json_schema"));
        assertValid(options, "{}", "{\"region\": \"eu-west-1\"}", "{\"endpoint\": \"http://minio:9000\"}",
                "{\"region\": null, \"endpoint\": null}");
        assertInvalid(options, "{\"endpoint\": \"minio:9000\"}", "{\"region\": \"EU West\"}", "{\"bucket\": \"b\"}");
    }

    @Test
    void copyArgsAreCheckedAsTheApiWill() {
        JsonSchema copy = paramsOf("copy");
        assertValid(copy, "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\"}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\", \"recursive\": true, \"regex_filter\": \".*\"}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\", \"recursive\": null, \"regex_filter\": null}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\", \"recursive\": false}");
        assertInvalid(copy, "{}", "{\"from_path\": \"s3://a/p\"}",
                "{\"from_path\": \"hdfs://a/p\", \"to_path\": \"s3://b/q\"}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"/local/q\"}",
                "{\"from_path\": \"s3://\", \"to_path\": \"s3://b\"}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\", \"recursive\": \"yes\"}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\", \"recursive\": false, \"regex_filter\": \"x\"}",
                "{\"from_path\": \"s3://a/p\", \"to_path\": \"s3://b/q\", \"delete\": true}");
        assertTrue(S3Engine.registration().at("/supported_action_types/0/params_json_schema/properties/recursive/default")
                .asBoolean());
    }

    @Test
    void dataCheckArgsAreCheckedAsTheApiWill() {
        JsonSchema check = paramsOf("data_check");
        assertValid(check, "{\"s3_path_prefix\": \"s3://b/{YEAR}/\"}",
                "{\"s3_path_prefix\": \"s3://b/p\", \"s3_path_regex\": \".*\", \"min_file_size_in_bytes\": 0,"
                        + " \"date_offset_in_seconds\": -86400}",
                "{\"s3_path_prefix\": \"s3://b/p\", \"s3_path_regex\": null, \"min_file_size_in_bytes\": null,"
                        + " \"date_offset_in_seconds\": null}");
        assertInvalid(check, "{}", "{\"s3_path_prefix\": \"b/p\"}",
                "{\"s3_path_prefix\": \"s3://b/p\", \"min_file_size_in_bytes\": -1}",
                "{\"s3_path_prefix\": \"s3://b/p\", \"min_file_size_in_bytes\": 1.5}",
                "{\"s3_path_prefix\": \"s3://b/p\", \"date_offset_in_seconds\": \"1d\"}",
                "{\"s3_path_prefix\": \"s3://b/p\", \"s3_path\": \"s3://b/p\"}");
    }

    @Test
    void theEnvironmentConfiguresTheProcess() {
        Settings s = Settings.from(Map.of("DART_API_URL", "http://api:5000", "DART_API_KEY", "k:s"));
        assertEquals("http://api:5000", s.apiUrl());
        assertEquals(2, s.workers());
        assertNull(s.actionId());
        assertFalse(s.toString().contains("k:s"), "the key stays out of logs: " + s);
        Settings launched = Settings.from(Map.of("DART_API_URL", "http://api:5000", "DART_API_KEY", "k:s",
                "DART_ACTION_ID", "A1", "DART_ENGINE_WORKERS", "8"));
        assertEquals("A1", launched.actionId());
        assertEquals(8, launched.workers());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("DART_API_KEY", "k:s")))
                .getMessage().contains("DART_API_URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("DART_API_URL", "http://a")))
                .getMessage().contains("DART_API_KEY"));
        assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("DART_API_URL", "http://a",
                "DART_API_KEY", "k:s", "DART_ENGINE_WORKERS", "0")));
        assertThrows(IllegalArgumentException.class, () -> Settings.from(Map.of("DART_API_URL", "http://a",
                "DART_API_KEY", "k:s", "DART_ENGINE_WORKERS", "many")));
    }

    @Test
    void aDatastoresEndpointOverridesTheEnginesAndClientsAreKept() {
        String bucket = TestBuckets.create("clients");
        TestBuckets.put(bucket, "k", "v");
        // the engine's own endpoint has nothing listening: only the datastore's endpoint can answer
        try (S3Clients clients = new S3Clients("http://127.0.0.1:9", null, TestBuckets.CREDENTIALS)) {
            JsonNode datastore = json("{\"endpoint\": \"" + TestS3.endpoint() + "\"}");
            assertEquals("v", clients.forDatastore(datastore).getObjectAsBytes(b -> b.bucket(bucket).key("k"))
                    .asUtf8String());
            assertSame(clients.forDatastore(datastore), clients.forDatastore(json("{\"endpoint\": \""
                    + TestS3.endpoint() + "\", \"region\": null}")));
            assertEquals("eu-west-1", clients.forDatastore(json("{\"region\": \"eu-west-1\"}"))
                    .serviceClientConfiguration().region().id());
        }
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
}

package io.dartmart.api;

import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Exchange;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client mistakes a hostile user would try: each is a 4xx JSON error naming what was wrong, never a 500, and no
 * user-supplied regular expression costs more than linear time.
 */
@MicronautTest
class BadInputTest extends ApiTestBase {
    private ApiClient api;
    private String engine;
    private String datasetId;

    @BeforeAll
    void setUp() {
        api = admin();
        engine = "bad_input_" + unique();
        registerEngine(engine, Map.of("type", "object"), Map.of("noop", Map.of("type", "object")));
        datasetId = ok(api.post("/api/1/dataset", body(Map.of("name", "bad_input_" + unique(), "location",
                "s3://landing/orders", "data_format", Map.of("file_format", "TEXTFILE", "row_format", "JSON")))))
                .results().get("id").asText();
    }

    @Test
    void percentSignsInCredentialsAre401() {
        error(401, ApiClient.bearer(base(), "%", "%").get("/api/1/engine"));
        String basic = Base64.getEncoder().encodeToString("%:%".getBytes(StandardCharsets.UTF_8));
        error(401, api.withAuthorization("Basic " + basic).get("/api/1/engine"));
    }

    @Test
    void anIdWithAnEncodedPercentIsDecodedOnce() {
        String msg = error(404, api.get("/api/1/engine/%25"));
        assertTrue(msg.contains("'%'"), msg);
        error(404, api.get("/api/1/datastore/a%25b"));
    }

    @Test
    void aPatchPathWithoutLeadingSlashOrAnAppendIndexInReplaceIs400() {
        String path = "/api/1/event/" + ok(api.post("/api/1/event", body(Map.of("name", "patch-" + unique(),
                "tags", List.of("a"))))).results().get("id").asText();
        String noSlash = error(400, api.patch(path, List.of(Map.of("op", "replace", "path", "data/name", "value", "x"))));
        assertTrue(noSlash.contains("data/name"), noSlash);
        String minus = error(400, api.patch(path, List.of(Map.of("op", "replace", "path", "/data/tags/-1",
                "value", "x"))));
        assertTrue(minus.contains("/data/tags/-1"), minus);
        error(400, api.patch(path, List.of(Map.of("op", "remove", "path", "/data/tags/-"))));
        error(400, api.patch(path, List.of(Map.of("op", "move", "from", "data/name", "path", "/data/description"))));
    }

    @Test
    void indexedStringsAreBoundedNamingTheField() {
        String longId = "x".repeat(9_000);
        String ds = error(400, api.post("/api/1/datastore", body(Map.of("name", "long-" + unique(),
                "engine_name", engine, "workflow_datastore_id", longId))));
        assertTrue(ds.contains("/data/workflow_datastore_id"), ds);
        String key = error(400, api.post("/api/1/api_key", body(Map.of("user_id", longId + "@example.com",
                "role", "viewer"))));
        assertTrue(key.contains("/data/user_id"), key);
        String engineName = error(400, api.post("/api/1/datastore", body(Map.of("name", "long-" + unique(),
                "engine_name", longId))));
        assertTrue(engineName.contains("/data/engine_name"), engineName);
    }

    @Test
    void anUnknownWorkflowDatastoreIdIs400() {
        String msg = error(400, api.post("/api/1/datastore", body(Map.of("name", "nosuch-" + unique(),
                "engine_name", engine, "workflow_datastore_id", "NOSUCHID"))));
        assertTrue(msg.contains("/data/workflow_datastore_id") && msg.contains("NOSUCHID"), msg);
    }

    @Test
    void aFilterKeyOfThousandsOfSegmentsIs400() {
        String key = "a" + ".b".repeat(2_000);
        String msg = error(400, api.get("/api/1/event", Map.of("filters", "[\"" + key + " = 1\"]")));
        assertTrue(msg.startsWith("filters:"), msg);
        msg = error(400, api.get("/api/1/event", Map.of("order_by", "[\"" + key + " ASC\"]")));
        assertTrue(msg.startsWith("order_by:"), msg);
    }

    private Exchange subscription(String regex) {
        Map<String, Object> data = new HashMap<>(Map.of("name", "sub-" + unique()));
        data.put("s3_path_regex_filter", regex);
        return api.post("/api/1/dataset/" + datasetId + "/subscription", body(data));
    }

    @Test
    void aHugeRegexIsRefusedAtOnce() {
        String huge = "(a|aa)*".repeat(150_000);
        String msg = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> error(400, subscription(huge)));
        assertTrue(msg.startsWith("/data/s3_path_regex_filter:") && msg.contains("1000"), msg);
    }

    @Test
    void regexSyntaxThatNeedsBacktrackingIs400WithTheReason() {
        String backref = error(400, subscription("(a)\\1"));
        assertTrue(backref.startsWith("/data/s3_path_regex_filter:"), backref);
        String lookahead = error(400, subscription("(?=x)y"));
        assertTrue(lookahead.startsWith("/data/s3_path_regex_filter:") && lookahead.contains("(?="), lookahead);
        ok(subscription("(?P<day>\\d{2})/.*\\.json$"));
    }

    @Test
    void aDatasetRegexInputIsBoundedToo() {
        Map<String, Object> format = Map.of("file_format", "TEXTFILE", "row_format", "REGEX",
                "regex_input", "(\\w+)".repeat(1_000));
        String msg = error(400, api.post("/api/1/dataset", body(Map.of("name", "regex_" + unique(),
                "location", "s3://landing/x", "data_format", format, "columns",
                List.of(Map.of("name", "a", "data_type", "STRING"))))));
        assertTrue(msg.contains("/data/data_format/regex_input"), msg);
    }

    @Test
    void schemaPatternsOfEnginesRunInLinearTime() {
        String name = "pattern_" + unique();
        registerEngine(name, Map.of("type", "object"), Map.of("check", Map.of("type", "object",
                "properties", Map.of("word", Map.of("type", "string", "pattern", "^(a|a)*$")))));
        String ds = ok(api.post("/api/1/datastore", body(Map.of("name", name, "engine_name", name, "state",
                "ACTIVE")))).results().get("id").asText();
        String evil = "a".repeat(5_000) + "!";
        String msg = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> error(400, api.post(
                "/api/1/datastore/" + ds + "/action", body(Map.of("name", "evil", "action_type_name", "check",
                        "args", Map.of("word", evil))))));
        assertTrue(msg.contains("/args/word"), msg);
    }

    @Test
    void anEngineSchemaPatternThatNeedsBacktrackingIs400() {
        var types = List.of(Map.of("name", "check", "params_json_schema", Map.of("type", "object",
                "properties", Map.of("word", Map.of("type", "string", "pattern", "^(?!x)a$")))));
        String msg = error(400, api.post("/api/1/engine", body(Map.of("name", "lookahead_" + unique(),
                "supported_action_types", types))));
        assertTrue(msg.startsWith("/data/supported_action_types/0/params_json_schema"), msg);
        assertTrue(msg.contains("regex") || msg.contains("regular expression"), msg);
    }
}

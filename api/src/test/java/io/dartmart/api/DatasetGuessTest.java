package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.dataset.SampleReader;
import io.dartmart.domain.testing.TestS3;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /dataset/guess against files in a real S3 protocol server. */
@MicronautTest
class DatasetGuessTest extends ApiTestBase {
    private final String bucket = "guess-" + unique();
    @Inject
    S3Client s3;
    private ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.putAll(TestS3.properties());
        return p;
    }

    @BeforeAll
    void setUp() {
        api = admin();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private String put(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        return "s3://" + bucket + "/" + key;
    }

    private String put(String key, String text) {
        return put(key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The guessed dataset document; the answer is an unsaved dataset entity, as the original's clients read it. */
    private JsonNode guess(String s3Path) {
        JsonNode entity = ok(api.get("/api/1/dataset/guess", Map.of("s3_path", s3Path))).results();
        for (String field : List.of("id", "version_id", "created", "updated")) {
            assertTrue(entity.has(field) && entity.get(field).isNull(), field + " is null in " + entity);
        }
        return entity.get("data");
    }

    private static List<String> columns(JsonNode doc, String field) {
        List<String> out = new ArrayList<>();
        doc.path("columns").forEach(c -> out.add(c.path(field).asText()));
        return out;
    }

    private static byte[] gzip(String text) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void aCsvWithAHeaderBecomesADatasetReadyToSave() {
        String path = put("exports/2026/Orders.csv", """
                order_id,customer,total,paid,placed_on,placed_at
                1001,"Smith, Ann",19.99,true,2026-03-01,2026-03-01 09:15:00
                1002,Bob,5,false,2026-03-02,2026-03-02T10:00:00Z
                1003,,120.50,true,2026-03-03,2026-03-03 11:45:30
                """);
        JsonNode doc = guess(path);
        assertEquals("orders", doc.path("name").asText());
        assertEquals("s3://" + bucket + "/exports/2026/", doc.path("location").asText());
        assertEquals("NONE", doc.path("compression").asText());
        JsonNode format = doc.path("data_format");
        assertEquals("DELIMITED", format.path("row_format").asText());
        assertEquals(",", format.path("delimited_by").asText());
        assertEquals(1, format.path("num_header_rows").asInt());
        assertEquals(List.of("order_id", "customer", "total", "paid", "placed_on", "placed_at"), columns(doc, "name"));
        assertEquals(List.of("BIGINT", "VARCHAR", "NUMERIC", "BOOLEAN", "DATE", "TIMESTAMP"), columns(doc, "data_type"));
        assertEquals(List.of("false", "true", "false", "false", "false", "false"), columns(doc, "is_nullable"));
        assertEquals(32, doc.path("columns").get(1).path("length").asInt(), "room for twice \"Smith, Ann\"");
        assertEquals(2, doc.path("columns").get(2).path("scale").asInt());

        JsonNode saved = ok(api.post("/api/1/dataset", body(doc))).results();
        assertEquals(doc.path("columns"), saved.path("data").path("columns"), "the guess is a valid dataset as it is");
    }

    @Test
    void tabSeparatedText() {
        JsonNode doc = guess(put("tsv/visits.txt", "page\tvisits\tratio\n/home\t10\t0.5\n/about\t3\t0.25\n"));
        assertEquals("\t", doc.path("data_format").path("delimited_by").asText());
        assertEquals(List.of("page", "visits", "ratio"), columns(doc, "name"));
        assertEquals(List.of("VARCHAR", "BIGINT", "NUMERIC"), columns(doc, "data_type"));
        assertTrue(doc.path("data_format").path("quoted_by").isNull());
    }

    @Test
    void jsonLines() {
        JsonNode doc = guess(put("json/events.jsonl", """
                {"id": 1, "user": {"id": 7, "name": "ann"}, "at": "2026-03-01T00:00:00Z", "amount": 1.25}
                {"id": 2, "user": {"id": 8}, "at": "2026-03-02T00:00:00Z", "amount": null}
                """));
        JsonNode format = doc.path("data_format");
        assertEquals("TEXTFILE", format.path("file_format").asText());
        assertEquals("JSON", format.path("row_format").asText());
        assertEquals(List.of("id", "user_id", "user_name", "at", "amount"), columns(doc, "name"));
        assertEquals(List.of("BIGINT", "BIGINT", "VARCHAR", "TIMESTAMP", "NUMERIC"), columns(doc, "data_type"));
        assertEquals(List.of("$.id", "$.user.id", "$.user.name", "$.at", "$.amount"), columns(doc, "path"));
        assertEquals(List.of("false", "false", "true", "false", "true"), columns(doc, "is_nullable"));
    }

    @Test
    void gzippedCsv() {
        JsonNode doc = guess(put("gz/daily.csv.gz", gzip("day,count\n2026-03-01,4\n2026-03-02,5\n")));
        assertEquals("GZIP", doc.path("compression").asText());
        assertEquals("daily", doc.path("name").asText());
        assertEquals(List.of("DATE", "BIGINT"), columns(doc, "data_type"));
    }

    @Test
    void aCsvWithoutAHeader() {
        JsonNode doc = guess(put("plain/rows.csv", "1,2026-03-01,red\n2,2026-03-02,blue\n"));
        assertEquals(0, doc.path("data_format").path("num_header_rows").asInt());
        assertEquals(List.of("col_1", "col_2", "col_3"), columns(doc, "name"));
        assertEquals(List.of("BIGINT", "DATE", "VARCHAR"), columns(doc, "data_type"));
    }

    @Test
    void maxLinesBoundsTheSample() {
        String path = put("lines/ids.csv", "id\n" + "7\n".repeat(150) + "seven\n");
        assertEquals("VARCHAR", ok(api.get("/api/1/dataset/guess", Map.of("s3_path", path, "max_lines", "200")))
                .results().path("data").path("columns").get(0).path("data_type").asText());
        assertEquals("BIGINT", guess(path).path("columns").get(0).path("data_type").asText(),
                "100 lines by default: the last line is not read");
        assertEquals("BIGINT", ok(api.get("/api/1/dataset/guess", Map.of("s3_path", path, "max_lines", "2")))
                .results().path("data").path("columns").get(0).path("data_type").asText());
    }

    @Test
    void anyKeyMayGuessButOnlyWithAValidPath() {
        String path = put("roles/r.csv", "a,b\n1,2\n");
        ok(as("viewer").get("/api/1/dataset/guess", Map.of("s3_path", path)));
        ok(as("engine", "some_engine").get("/api/1/dataset/guess", Map.of("s3_path", path)));
        error(401, ApiClient.anonymous(base()).get("/api/1/dataset/guess", Map.of("s3_path", path)));
    }

    @Test
    void badParametersAreNamed() {
        assertTrue(error(400, api.get("/api/1/dataset/guess")).startsWith("s3_path: required"));
        for (String bad : new String[]{"s3://" + bucket, "s3://" + bucket + "/folder/", "https://x/y.csv"}) {
            String message = error(400, api.get("/api/1/dataset/guess", Map.of("s3_path", bad)));
            assertTrue(message.startsWith("s3_path: must be one object"), message);
        }
        String path = put("params/p.csv", "a\n1\n");
        for (String bad : new String[]{"0", "10001", "many"}) {
            String message = error(400, api.get("/api/1/dataset/guess", Map.of("s3_path", path, "max_lines", bad)));
            assertEquals("max_lines: must be an integer from 1 to 10000, found '" + bad + "'", message);
        }
    }

    @Test
    void missingObjectsAndBucketsAreNotFound() {
        String message = error(404, api.get("/api/1/dataset/guess",
                Map.of("s3_path", "s3://" + bucket + "/no/such.csv")));
        assertEquals("s3_path: s3://" + bucket + "/no/such.csv: no such object", message);
        message = error(404, api.get("/api/1/dataset/guess", Map.of("s3_path", "s3://absent-" + bucket + "/x.csv")));
        assertTrue(message.contains("the bucket 'absent-" + bucket + "' does not exist"), message);
    }

    @Test
    void samplesThatAreNotTextAreRefusedWithAReason() {
        String parquet = error(400, api.get("/api/1/dataset/guess", Map.of("s3_path",
                put("bin/t.parquet", new byte[]{'P', 'A', 'R', '1', 0, 0, 1, 2}))));
        assertTrue(parquet.contains("is a Parquet file"), parquet);
        String binary = error(400, api.get("/api/1/dataset/guess", Map.of("s3_path",
                put("bin/blob", new byte[]{1, 2, 0, (byte) 0xff, '\n'}))));
        assertTrue(binary.contains("looks binary"), binary);
        String empty = error(400, api.get("/api/1/dataset/guess", Map.of("s3_path", put("bin/empty.csv", ""))));
        assertTrue(empty.endsWith("is empty; there is nothing to guess from"), empty);
    }

    @Test
    void aLargeObjectIsReadOnlyUpToItsFirstEightMebibytes() {
        byte[] bytes = new byte[(int) SampleReader.MAX_BYTES + 4096];
        Arrays.fill(bytes, (byte) 'x');
        String message = error(400, api.get("/api/1/dataset/guess", Map.of("s3_path", put("big/one-line.csv", bytes))));
        assertEquals("s3_path: s3://" + bucket + "/big/one-line.csv: no line break in the first "
                + SampleReader.MAX_BYTES + " bytes; guessing reads line-based text (CSV, TSV, JSON lines)", message);
    }

    @Test
    void guessIsNotTakenForADatasetId() {
        ObjectNode guessed = guess(put("route/r.csv", "a,b\n1,2\n")).deepCopy();
        JsonNode created = ok(api.post("/api/1/dataset", body(guessed.put("name", "route_" + unique())))).results();
        String id = created.get("id").asText();
        assertEquals(created, ok(api.get("/api/1/dataset/" + id)).results());
        assertFalse(error(400, api.get("/api/1/dataset/guess")).contains("no dataset"));
        assertTrue(error(404, api.delete("/api/1/dataset/guess")).contains("guess"));
    }
}

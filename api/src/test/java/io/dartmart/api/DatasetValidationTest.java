package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dataset model: each format is stored as sent, and each cross-field rule is a 400 naming its pointer. */
@MicronautTest
class DatasetValidationTest extends ApiTestBase {
    private ApiClient api;

    @BeforeAll
    void setUp() {
        api = admin();
    }

    /** A valid CSV dataset with two columns and a partition, uniquely named. */
    private static ObjectNode csv() {
        return (ObjectNode) Json.parse("""
                {"name": "NAME", "location": "s3://bucket/sales/",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": ","},
                 "columns": [{"name": "id", "data_type": "BIGINT"}, {"name": "amount", "data_type": "NUMERIC",
                              "precision": 10, "scale": 2}],
                 "partitions": [{"name": "dt", "data_type": "DATE"}]}
                """.replace("NAME", "ds_" + unique()), "test");
    }

    private String rejected(ObjectNode data) {
        return error(400, api.post("/api/1/dataset", body(data)));
    }

    private static void assertStarts(String expected, String message) {
        assertTrue(message.startsWith(expected), () -> "expected '" + expected + "...', got: " + message);
    }

    @Test
    void keysMustNameColumnsOrPartitionsOnce() {
        ObjectNode data = csv();
        data.set("primary_keys", Json.array().add("id").add("nope"));
        assertEquals("/data/primary_keys/1: 'nope' is not a column or partition of this dataset", rejected(data));

        data = csv();
        data.set("sort_keys", Json.array().add("dt").add("amount").add("dt"));
        assertEquals("/data/sort_keys/2: 'dt' is listed twice", rejected(data));

        for (String list : new String[]{"merge_keys", "distribution_keys", "batch_merge_sort_keys"}) {
            data = csv();
            data.set(list, Json.array().add("ID"));
            assertEquals("/data/" + list + "/0: 'ID' is not a column or partition of this dataset", rejected(data),
                    "keys match names exactly");
        }

        data = csv();
        data.set("primary_keys", Json.array().add("id").add("dt"));
        data.set("merge_keys", Json.array().add("id"));
        ok(api.post("/api/1/dataset", body(data)));
    }

    @Test
    void columnNamesAreUniqueAmongColumnsAndPartitions() {
        ObjectNode data = csv();
        ((ObjectNode) data.get("columns").get(1)).put("name", "ID");
        assertEquals("/data/columns/1/name: 'ID' is already the name of /data/columns/0 (names are compared without "
                + "case)", rejected(data));
        data = csv();
        ((ObjectNode) data.get("partitions").get(0)).put("name", "amount");
        assertStarts("/data/partitions/0/name: 'amount' is already the name of /data/columns/1", rejected(data));
    }

    @Test
    void delimitedTextTakesAOneCharacterDelimiterOrLeavesItToTheReader() {
        ObjectNode data = csv();
        ((ObjectNode) data.get("data_format")).put("delimited_by", "||");
        assertStarts("/data/data_format/delimited_by: ", rejected(data));
        ((ObjectNode) data.get("data_format")).put("delimited_by", ",").put("quoted_by", "");
        assertStarts("/data/data_format/quoted_by: ", rejected(data));
    }

    @Test
    void fileAndRowFormatsGoTogether() {
        ObjectNode data = csv();
        ((ObjectNode) data.get("data_format")).put("file_format", "PARQUET");
        String message = rejected(data);
        assertStarts("/data/data_format/row_format: PARQUET files carry their own layout; use row_format NONE, "
                + "found DELIMITED", message);

        data = csv();
        ((ObjectNode) data.get("data_format")).put("row_format", "NONE");
        assertStarts("/data/data_format/row_format: TEXTFILE needs row_format DELIMITED, JSON or REGEX",
                rejected(data));

        data = csv();
        data.set("data_format", Json.object().put("file_format", "PARQUET").put("row_format", "NONE")
                .put("num_header_rows", 1));
        assertEquals("/data/data_format/num_header_rows: only TEXTFILE files have header rows; use 0 for PARQUET",
                rejected(data));
    }

    @Test
    void regexRowsNeedAValidRegexInput() {
        ObjectNode data = csv();
        data.set("data_format", Json.object().put("file_format", "TEXTFILE").put("row_format", "REGEX"));
        assertStarts("/data/data_format/regex_input: required with row_format REGEX", rejected(data));
        ((ObjectNode) data.get("data_format")).put("regex_input", "(\\d+ (.*)");
        assertStarts("/data/data_format/regex_input: not a valid regular expression", rejected(data));
    }

    @Test
    void locationMustBeAnS3Url() {
        for (String location : new String[]{"s3:/bucket/x", "hdfs://bucket/x", "s3://", "s3:///x"}) {
            ObjectNode data = csv().put("location", location);
            assertStarts("/data/location: ", rejected(data));
        }
    }

    @Test
    void numericScaleFitsItsPrecision() {
        ObjectNode data = csv();
        ((ObjectNode) data.get("columns").get(1)).put("scale", 11);
        assertEquals("/data/columns/1/scale: 11 is more than the precision 10", rejected(data));
        ((ObjectNode) data.get("columns").get(1)).remove("precision");
        assertEquals("/data/columns/1/scale: needs a precision", rejected(data));
    }

    @Test
    void mergeNeedsKeysToMatchOn() {
        ObjectNode data = csv().put("load_type", "MERGE");
        assertEquals("/data/load_type: MERGE needs merge_keys or primary_keys to match rows on", rejected(data));
        data.set("primary_keys", Json.array().add("id"));
        ok(api.post("/api/1/dataset", body(data)));
    }

    @Test
    void everyBrokenRuleIsReportedAtOnceAndNothingIsStored() {
        ObjectNode data = csv();
        data.set("primary_keys", Json.array().add("x"));
        ((ObjectNode) data.get("data_format")).put("file_format", "PARQUET");
        String message = rejected(data);
        assertTrue(message.contains("/data/data_format/row_format: ") && message.contains("; ")
                && message.contains("/data/primary_keys/0: 'x'"), message);
        var listed = ok(api.get("/api/1/dataset", Map.of("filters", "[\"name = " + data.get("name").asText() + "\"]")));
        assertEquals(0, listed.json().get("total").asInt());
    }

    @Test
    void updatesAreCheckedToo() {
        JsonNode created = ok(api.post("/api/1/dataset", body(csv()))).results();
        String id = created.get("id").asText();
        ObjectNode data = created.get("data").deepCopy();
        data.set("primary_keys", Json.array().add("ghost"));
        assertEquals("/data/primary_keys/0: 'ghost' is not a column or partition of this dataset",
                error(400, api.put("/api/1/dataset/" + id, body(data))));
        String patched = error(400, api.patch("/api/1/dataset/" + id, Json.parse(
                "[{\"op\": \"add\", \"path\": \"/data/columns/-\", \"value\": {\"name\": \"Amount\", \"data_type\": "
                        + "\"INT\"}}]", "test")));
        assertStarts("/data/columns/2/name: 'Amount' is already the name of /data/columns/1", patched);
        assertEquals(created, ok(api.get("/api/1/dataset/" + id)).results());
    }

    @Test
    void aDatasetOfEachFormatIsStoredAndReadBack() {
        String[] documents = {
                // CSV with a header, quoted, gzipped; MERGE on a key
                """
                {"name": "NAME", "table_name": "orders", "location": "s3://bucket/orders/", "load_type": "MERGE",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": ",",
                                 "quoted_by": "\\"", "escaped_by": "\\\\", "num_header_rows": 1, "null_string": "\\\\N"},
                 "compression": "GZIP",
                 "columns": [{"name": "id", "data_type": "BIGINT", "is_nullable": false},
                             {"name": "customer", "data_type": "VARCHAR", "length": 64, "description": "who"},
                             {"name": "total", "data_type": "NUMERIC", "precision": 12, "scale": 2},
                             {"name": "placed_at", "data_type": "TIMESTAMP", "date_pattern": "yyyy-MM-dd HH:mm:ss"}],
                 "primary_keys": ["id"], "merge_keys": ["id"], "sort_keys": ["placed_at"],
                 "distribution_keys": ["customer"], "batch_merge_sort_keys": ["placed_at"],
                 "description": "orders as exported nightly", "tags": ["sales"]}""",
                // TSV without a header, bzip2
                """
                {"name": "NAME", "location": "s3://bucket/clicks", "compression": "BZ2",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": "\\t",
                                 "quoted_by": null, "escaped_by": null, "num_header_rows": 0},
                 "columns": [{"name": "ts", "data_type": "DATETIME"}, {"name": "url", "data_type": "STRING"},
                             {"name": "ms", "data_type": "INT"}, {"name": "ok", "data_type": "BOOLEAN"}]}""",
                // JSON lines with paths, partitioned by day in Hive-style folders
                """
                {"name": "NAME", "location": "s3://bucket/events/", "load_type": "RELOAD_LAST",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "JSON"},
                 "columns": [{"name": "user_id", "data_type": "BIGINT", "path": "$.user.id"},
                             {"name": "kind", "data_type": "VARCHAR", "length": 16, "path": "$.kind"},
                             {"name": "score", "data_type": "DOUBLE", "path": "$['score %']"}],
                 "partitions": [{"name": "day", "data_type": "DATE"}], "hive_compatible_partition_folders": true,
                 "primary_keys": ["user_id", "day"]}""",
                // Parquet, snappy
                """
                {"name": "NAME", "location": "s3://bucket/facts/", "load_type": "RELOAD_ALL", "compression": "SNAPPY",
                 "data_format": {"file_format": "PARQUET", "row_format": "NONE"},
                 "columns": [{"name": "k", "data_type": "SMALLINT"}, {"name": "v", "data_type": "FLOAT"}]}""",
                // log lines through a regular expression
                """
                {"name": "NAME", "location": "s3://bucket/logs/",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "REGEX",
                                 "regex_input": "^(\\\\S+) (\\\\d+)$", "regex_output": "%1$s %2$s"},
                 "columns": [{"name": "host", "data_type": "STRING"}, {"name": "bytes", "data_type": "BIGINT"}]}"""};
        for (String text : documents) {
            ObjectNode sent = (ObjectNode) Json.parse(text.replace("NAME", "fmt_" + unique()), "test");
            JsonNode created = ok(api.post("/api/1/dataset", body(sent))).results();
            JsonNode read = ok(api.get("/api/1/dataset/" + created.get("id").asText())).results();
            assertEquals(created, read);
            assertSubset(sent, read.get("data"), "/data");
            assertEquals(ADMIN_USER, read.get("data").get("user_id").asText());
        }
    }

    /** Every member of {@code sent} comes back as sent; the server may add defaults. */
    private static void assertSubset(JsonNode sent, JsonNode stored, String where) {
        if (!sent.isObject()) {
            assertEquals(sent, stored, where);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sent.fields(); it.hasNext(); ) {
            var e = it.next();
            assertTrue(stored.has(e.getKey()), where + "/" + e.getKey() + " is missing");
            JsonNode value = e.getValue();
            if (value.isArray()) {
                assertEquals(value.size(), stored.get(e.getKey()).size(), where + "/" + e.getKey());
                for (int i = 0; i < value.size(); i++) {
                    assertSubset(value.get(i), stored.get(e.getKey()).get(i), where + "/" + e.getKey() + "/" + i);
                }
            } else {
                assertSubset(value, stored.get(e.getKey()), where + "/" + e.getKey());
            }
        }
    }
}

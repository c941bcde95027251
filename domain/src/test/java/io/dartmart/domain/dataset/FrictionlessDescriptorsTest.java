package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.EntitySchemas;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrictionlessDescriptorsTest {
    private static JsonNode json(String text) {
        return Json.parse(text, "test");
    }

    /** A dataset as stored: validated, defaults applied. */
    private static ObjectNode stored(String text) {
        ObjectNode doc = (ObjectNode) json(text);
        EntitySchemas.validate(EntityType.DATASET, doc);
        DatasetChecks.check(doc);
        return doc;
    }

    private static final String CSV = """
            {"name": "Sales", "location": "s3://bucket/sales/", "description": "daily sales",
             "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": ",",
                             "quoted_by": "\\"", "escaped_by": "\\\\", "num_header_rows": 1, "null_string": "\\\\N"},
             "compression": "GZIP",
             "columns": [
               {"name": "id", "data_type": "BIGINT", "is_nullable": false, "description": "the key"},
               {"name": "code", "data_type": "VARCHAR", "length": 12},
               {"name": "qty", "data_type": "INT"},
               {"name": "small", "data_type": "SMALLINT"},
               {"name": "note", "data_type": "STRING"},
               {"name": "price", "data_type": "DOUBLE"},
               {"name": "ok", "data_type": "BOOLEAN"},
               {"name": "day", "data_type": "DATE", "date_pattern": "%d/%m/%Y"},
               {"name": "at", "data_type": "TIMESTAMP"}],
             "primary_keys": ["id"]}""";

    @Test
    void aCsvDatasetBecomesADataPackage() {
        JsonNode pkg = FrictionlessDescriptors.export(stored(CSV));
        assertEquals("sales", pkg.path("name").asText(), "package names are lower case");
        assertEquals("daily sales", pkg.path("description").asText());
        JsonNode r = pkg.path("resources").get(0);
        assertEquals(1, pkg.path("resources").size());
        assertEquals("s3://bucket/sales/", r.path("path").asText());
        assertEquals("csv", r.path("format").asText());
        assertEquals("text/csv", r.path("mediatype").asText());
        assertEquals("gz", r.path("compression").asText());
        assertEquals(json("{\"delimiter\": \",\", \"header\": true, \"quoteChar\": \"\\\"\", \"escapeChar\": \"\\\\\"}"),
                r.path("dialect"));
        JsonNode schema = r.path("schema");
        assertEquals(json("[\"id\"]"), schema.path("primaryKey"));
        assertEquals(json("[\"\\\\N\"]"), schema.path("missingValues"));
        JsonNode fields = schema.path("fields");
        assertEquals(json("{\"name\": \"id\", \"type\": \"integer\", \"description\": \"the key\", "
                + "\"constraints\": {\"required\": true}}"), fields.get(0));
        assertEquals(json("{\"name\": \"code\", \"type\": \"string\", \"constraints\": {\"required\": false, "
                + "\"maxLength\": 12}}"), fields.get(1));
        assertEquals(2147483647L, fields.get(2).path("constraints").path("maximum").asLong());
        assertEquals(-32768, fields.get(3).path("constraints").path("minimum").asInt());
        assertEquals("number", fields.get(5).path("type").asText());
        assertEquals("date", fields.get(7).path("type").asText());
        assertEquals("%d/%m/%Y", fields.get(7).path("format").asText());
        assertEquals("datetime", fields.get(8).path("type").asText());
    }

    @Test
    void exportThenImportGivesTheSameDataset() {
        for (String text : new String[]{CSV,
                "{\"name\": \"t\", \"location\": \"s3://b/t\", \"data_format\": {\"file_format\": \"TEXTFILE\", "
                        + "\"row_format\": \"DELIMITED\", \"delimited_by\": \"\\t\", \"quoted_by\": \"'\", "
                        + "\"num_header_rows\": 2}, \"columns\": [{\"name\": \"a\", \"data_type\": \"STRING\"}]}",
                "{\"name\": \"j\", \"location\": \"s3://b/j\", \"data_format\": {\"file_format\": \"TEXTFILE\", "
                        + "\"row_format\": \"JSON\"}, \"columns\": [{\"name\": \"a\", \"data_type\": \"DATE\"}]}",
                "{\"name\": \"p\", \"location\": \"s3://b/p\", \"compression\": \"SNAPPY\", \"data_format\": "
                        + "{\"file_format\": \"PARQUET\", \"row_format\": \"NONE\"}, \"columns\": "
                        + "[{\"name\": \"a\", \"data_type\": \"BOOLEAN\", \"is_nullable\": false}]}"}) {
            ObjectNode original = stored(text);
            ObjectNode back = stored(Json.write(FrictionlessDescriptors.toDataset(
                    FrictionlessDescriptors.export(original), original.path("name").asText(), null)));
            assertEquals(original, back, text);
        }
    }

    @Test
    void importReadsDefaultsAndInfersFromThePath() {
        ObjectNode doc = FrictionlessDescriptors.toDataset(json("""
                {"name": "pkg", "resources": [{"name": "events", "path": "s3://b/events/2026.tsv.gz",
                  "schema": {"fields": [{"name": "id", "type": "integer", "constraints": {"minimum": 0, "maximum": 9}},
                                        {"name": "payload", "type": "object"},
                                        {"name": "when", "type": "datetime", "format": "default"},
                                        {"name": "label"}],
                             "primaryKey": "id", "missingValues": ["", "NA"]}}]}"""), null, null);
        assertEquals("events", doc.path("name").asText());
        assertEquals("s3://b/events/2026.tsv.gz", doc.path("location").asText());
        assertEquals("GZIP", doc.path("compression").asText());
        JsonNode format = doc.path("data_format");
        assertEquals("\t", format.path("delimited_by").asText());
        assertEquals("\"", format.path("quoted_by").asText(), "the dialect's default quote");
        assertEquals(1, format.path("num_header_rows").asInt(), "a header by default");
        assertEquals("NA", format.path("null_string").asText());
        assertEquals("SMALLINT", doc.path("columns").get(0).path("data_type").asText());
        assertEquals("STRING", doc.path("columns").get(1).path("data_type").asText());
        assertTrue(doc.path("columns").get(2).path("date_pattern").isMissingNode());
        assertEquals("STRING", doc.path("columns").get(3).path("data_type").asText(), "type defaults to string");
        assertEquals(json("[\"id\"]"), doc.path("primary_keys"));

        ObjectNode named = FrictionlessDescriptors.toDataset(json("""
                {"resources": [{"name": "x", "path": "data.parquet", "schema": {"fields": [{"name": "a"}]}}]}"""),
                "renamed", "s3://b/x/");
        assertEquals("renamed", named.path("name").asText());
        assertEquals("s3://b/x/", named.path("location").asText());
        assertEquals("PARQUET", named.path("data_format").path("file_format").asText());
        assertFalse(named.path("columns").get(0).path("is_nullable").isMissingNode());
    }

    @Test
    void whatADatasetCannotHoldIsRefusedNamingThePointer() {
        String[][] cases = {
                {"[]", "body: must be a Frictionless Data Package"},
                {"{\"resources\": []}", "/resources: required"},
                {"{\"resources\": [{}, {}]}", "/resources: holds 2 resources"},
                {"{\"resources\": [{\"path\": \"s3://b/x\", \"schema\": {\"fields\": [{\"name\": \"a\"}]}}]}",
                        "/resources/0/name: required"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"https://x/y.csv\"}]}", "/resources/0/path: a dataset lives in S3"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": [\"s3://b/1\", \"s3://b/2\"]}]}", "/resources/0/path: a list"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"format\": \"xlsx\"}]}", "/resources/0/format: 'xlsx'"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"format\": \"json\"}]}", "use jsonl"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"schema\": \"schema.json\"}]}",
                        "/resources/0/schema: required: an inline Table Schema"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"dialect\": {\"delimiter\": \"||\"}, "
                        + "\"schema\": {\"fields\": [{\"name\": \"a\"}]}}]}", "/resources/0/dialect/delimiter: datasets take one character"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"schema\": {\"fields\": []}}]}",
                        "/resources/0/schema/fields: required"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"schema\": {\"fields\": [{\"name\": \"a\", "
                        + "\"type\": \"text\"}]}}]}", "/resources/0/schema/fields/0/type: \"text\" is not a Table Schema type"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"compression\": \"zip\", "
                        + "\"schema\": {\"fields\": [{\"name\": \"a\"}]}}]}", "/resources/0/compression: 'zip'"},
                {"{\"resources\": [{\"name\": \"n\", \"path\": \"s3://b/x\", \"schema\": {\"fields\": [{\"name\": \"a\"}], "
                        + "\"primaryKey\": [1]}}]}", "/resources/0/schema/primaryKey/0: must be a field name"},
        };
        for (String[] c : cases) {
            String message = assertThrows(InvalidInputException.class,
                    () -> FrictionlessDescriptors.toDataset(Json.parse(c[0], "test"), null, null), c[0]).getMessage();
            assertTrue(message.startsWith(c[1]) || message.contains(c[1]), c[0] + " -> " + message);
        }
    }
}

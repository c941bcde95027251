package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datasets out as Frictionless Data Packages and back in through the normal create path. */
@MicronautTest
class DatasetFrictionlessTest extends ApiTestBase {
    private ApiClient api;

    @BeforeAll
    void setUp() {
        api = admin();
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text, "test");
    }

    /** A dataset made only of what a data package can say. */
    private JsonNode createCsv(String name) {
        return ok(api.post("/api/1/dataset", body(json("""
                {"name": "NAME", "location": "s3://bucket/orders/", "description": "orders, nightly",
                 "compression": "GZIP",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": ";",
                                 "quoted_by": "\\"", "num_header_rows": 1, "null_string": "NA"},
                 "columns": [{"name": "id", "data_type": "BIGINT", "is_nullable": false, "description": "order id"},
                             {"name": "customer", "data_type": "VARCHAR", "length": 80},
                             {"name": "items", "data_type": "SMALLINT"},
                             {"name": "total", "data_type": "DOUBLE"},
                             {"name": "paid", "data_type": "BOOLEAN"},
                             {"name": "placed_on", "data_type": "DATE", "date_pattern": "%d.%m.%Y"},
                             {"name": "placed_at", "data_type": "TIMESTAMP"}],
                 "primary_keys": ["id"], "tags": ["sales"]}""".replace("NAME", name))))).results();
    }

    @Test
    void exportDescribesTheDatasetAsADataPackage() {
        String name = "exp_" + unique();
        JsonNode dataset = createCsv(name);
        JsonNode pkg = ok(api.get("/api/1/dataset/" + dataset.get("id").asText() + "/frictionless")).results();
        assertEquals(name, pkg.path("name").asText());
        JsonNode resource = pkg.path("resources").get(0);
        assertEquals("s3://bucket/orders/", resource.path("path").asText());
        assertEquals("csv", resource.path("format").asText());
        assertEquals("text/csv", resource.path("mediatype").asText());
        assertEquals("gz", resource.path("compression").asText());
        assertEquals(json("{\"delimiter\": \";\", \"header\": true, \"quoteChar\": \"\\\"\"}"), resource.path("dialect"));
        JsonNode schema = resource.path("schema");
        assertEquals(json("{\"name\": \"id\", \"type\": \"integer\", \"description\": \"order id\", "
                + "\"constraints\": {\"required\": true}}"), schema.path("fields").get(0));
        assertEquals(80, schema.path("fields").get(1).path("constraints").path("maxLength").asInt());
        assertEquals("%d.%m.%Y", schema.path("fields").get(5).path("format").asText());
        assertEquals("datetime", schema.path("fields").get(6).path("type").asText());
        assertEquals(Json.array().add("id"), schema.path("primaryKey"));
        assertEquals(Json.array().add("NA"), schema.path("missingValues"));
        error(404, api.get("/api/1/dataset/NOPE" + unique() + "/frictionless"));
    }

    @Test
    void exportThenImportGivesAnEqualDataset() {
        JsonNode original = createCsv("rt_" + unique());
        JsonNode pkg = ok(api.get("/api/1/dataset/" + original.get("id").asText() + "/frictionless")).results();
        String copyName = "rt_copy_" + unique();
        JsonNode copy = ok(api.post("/api/1/dataset/frictionless?name=" + copyName, pkg)).results();
        assertEquals(copy, ok(api.get("/api/1/dataset/" + copy.get("id").asText())).results());
        ObjectNode expected = original.get("data").deepCopy();
        ObjectNode actual = copy.get("data").deepCopy();
        assertEquals(copyName, actual.get("name").asText());
        for (ObjectNode data : new ObjectNode[]{expected, actual}) {
            data.remove("name");
            data.remove("tags"); // not part of a data package
        }
        assertEquals(expected, actual);

        // the same package again: the normal create path answers 409 for the taken name
        String taken = error(409, api.post("/api/1/dataset/frictionless?name=" + copyName, pkg));
        assertEquals("/data/name: a dataset with this name already exists", taken);
    }

    @Test
    void importTakesTheResourceNameAndPathOrTheParameters() {
        String name = "imp_" + unique();
        JsonNode created = ok(api.post("/api/1/dataset/frictionless", json("""
                {"name": "pkg", "resources": [{"name": "NAME", "path": "s3://bucket/events/", "format": "jsonl",
                  "schema": {"fields": [{"name": "id", "type": "integer", "constraints": {"required": true}},
                                        {"name": "payload", "type": "object"}], "primaryKey": "id"}}]}"""
                .replace("NAME", name)))).results().get("data");
        assertEquals(name, created.path("name").asText());
        assertEquals("s3://bucket/events/", created.path("location").asText());
        assertEquals("JSON", created.path("data_format").path("row_format").asText());
        assertEquals("STRING", created.path("columns").get(1).path("data_type").asText());
        assertEquals(ADMIN_USER, created.path("user_id").asText());

        String query = ApiClient.toQuery(Map.of("name", "placed_" + unique(), "location", "s3://bucket/moved/"));
        JsonNode placed = ok(api.post("/api/1/dataset/frictionless" + query, json("""
                {"resources": [{"name": "local", "path": "data/local.parquet",
                  "schema": {"fields": [{"name": "a", "type": "number"}]}}]}"""))).results().get("data");
        assertEquals("s3://bucket/moved/", placed.path("location").asText());
        assertEquals("PARQUET", placed.path("data_format").path("file_format").asText());
    }

    @Test
    void importErrorsNameTheDescriptorOrDatasetPointer() {
        String message = error(400, api.post("/api/1/dataset/frictionless", json("""
                {"resources": [{"name": "bad_%s", "path": "s3://bucket/x/",
                  "schema": {"fields": [{"name": "a", "type": "decimal"}]}}]}""".formatted(unique()))));
        assertTrue(message.startsWith("/resources/0/schema/fields/0/type: \"decimal\" is not a Table Schema type"),
                message);
        message = error(400, api.post("/api/1/dataset/frictionless", json("""
                {"resources": [{"name": "a"}, {"name": "b"}]}""")));
        assertTrue(message.startsWith("/resources: holds 2 resources"), message);
        message = error(400, api.post("/api/1/dataset/frictionless", json("""
                {"resources": [{"name": "dup_%s", "path": "s3://bucket/x/",
                  "schema": {"fields": [{"name": "a"}, {"name": "A"}], "primaryKey": ["b"]}}]}""".formatted(unique()))));
        assertTrue(message.contains("/data/columns/1/name: 'A' is already the name of /data/columns/0")
                && message.contains("/data/primary_keys/0: 'b' is not a column"), message);
        message = error(400, api.post("/api/1/dataset/frictionless", "not json"));
        assertTrue(message.contains("malformed JSON"), message);
    }

    @Test
    void importIsAWriteAndExportARead() {
        JsonNode dataset = createCsv("roles_" + unique());
        ok(as("viewer").get("/api/1/dataset/" + dataset.get("id").asText() + "/frictionless"));
        String refused = error(403, as("viewer").post("/api/1/dataset/frictionless", json("""
                {"resources": [{"name": "v", "path": "s3://b/v/", "schema": {"fields": [{"name": "a"}]}}]}""")));
        assertTrue(refused.contains("read only"), refused);
    }
}

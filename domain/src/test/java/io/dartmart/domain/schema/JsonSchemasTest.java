package io.dartmart.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemasTest {
    /** Options of an imaginary engine: one required field, scalar/array/object defaults, a nested object. */
    private static final String OPTIONS = """
            {
              "type": "object",
              "required": ["bucket"],
              "properties": {
                "bucket": {"type": "string"},
                "region": {"type": "string", "default": "us-east-1"},
                "workers": {"type": "integer", "minimum": 1, "default": 5},
                "tags": {"type": ["array", "null"], "items": {"type": "string"}, "default": []},
                "extra": {"type": ["object", "null"], "default": {}},
                "retry": {
                  "type": "object",
                  "default": {},
                  "properties": {
                    "attempts": {"type": "integer", "default": 3},
                    "backoff": {"type": "object", "properties": {"unit": {"type": "string", "default": "s"}}}
                  }
                }
              }
            }""";

    private static JsonNode json(String text) {
        return Json.parse(text, "test");
    }

    private static ObjectNode applied(String schema, String instance) {
        ObjectNode doc = (ObjectNode) json(instance);
        JsonSchemas.applyDefaultsAndValidate(json(schema), doc, "/args");
        return doc;
    }

    private static String rejection(String schema, String instance) {
        return assertThrows(InvalidInputException.class, () -> applied(schema, instance)).getMessage();
    }

    private static InvalidInputException badSchema(String schema) {
        return assertThrows(InvalidInputException.class,
                () -> JsonSchemas.checkSchema(json(schema), "/data/options_json_schema"));
    }

    // ---- checkSchema ----

    @Test
    void invalidSchemasAreRejectedNamingThePointer() {
        InvalidInputException type = badSchema("{\"type\": \"strin\"}");
        assertEquals(400, type.status());
        assertTrue(type.getMessage().startsWith("/data/options_json_schema/type: "), type.getMessage());

        InvalidInputException min = badSchema("{\"minLength\": -1}");
        assertTrue(min.getMessage().startsWith("/data/options_json_schema/minLength: "), min.getMessage());

        InvalidInputException nested = badSchema("{\"properties\": {\"a\": {\"type\": \"strin\"}}}");
        assertTrue(nested.getMessage().startsWith("/data/options_json_schema/properties/a/type: "), nested.getMessage());

        InvalidInputException required = badSchema("{\"required\": \"a\"}");
        assertTrue(required.getMessage().startsWith("/data/options_json_schema/required: "), required.getMessage());
    }

    @Test
    void theDialectsMetaSchemaApplies() {
        // 2020-12 checks its own keywords too
        InvalidInputException e = badSchema("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "minLength": -1}""");
        assertTrue(e.getMessage().startsWith("/data/options_json_schema/minLength: "), e.getMessage());
    }

    @Test
    void aSchemaMustBeAnObject() {
        assertEquals("/data/options_json_schema: a JSON Schema must be an object", badSchema("[]").getMessage());
        assertEquals("/data/options_json_schema: a JSON Schema must be an object", badSchema("\"string\"").getMessage());
    }

    @Test
    void unresolvableReferencesAreRejected() {
        InvalidInputException e = badSchema("{\"$ref\": \"#/definitions/nope\"}");
        assertTrue(e.getMessage().startsWith("/data/options_json_schema: the JSON Schema does not compile"),
                e.getMessage());
    }

    @Test
    void draft07AndDraft2020SchemasAreAccepted() {
        assertDoesNotThrow(() -> JsonSchemas.checkSchema(json(OPTIONS), "/s"));
        assertDoesNotThrow(() -> JsonSchemas.checkSchema(json("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "definitions": {"n": {"type": "integer"}}, "properties": {"n": {"$ref": "#/definitions/n"}}}"""), "/s"));
        assertDoesNotThrow(() -> JsonSchemas.checkSchema(json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "$defs": {"n": {"type": "integer"}},
                 "properties": {"n": {"$ref": "#/$defs/n"}, "pair": {"type": "array", "prefixItems": [{"type": "string"}]}}}"""),
                "/s"));
    }

    @Test
    void secretKeywordIsAcceptedInEveryDialect() {
        for (String dialect : List.of("", "\"$schema\": \"http://json-schema.org/draft-07/schema#\",",
                "\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",")) {
            JsonNode schema = json("{" + dialect + """
                     "type": "object", "required": ["password"],
                     "properties": {"password": {"type": "string", "x-dart-secret": true}}}""");
            assertDoesNotThrow(() -> JsonSchemas.checkSchema(schema, "/s"), dialect);
            ObjectNode doc = (ObjectNode) json("{\"password\": \"p\"}");
            assertDoesNotThrow(() -> JsonSchemas.applyDefaultsAndValidate(schema, doc, "/args"), dialect);
            // the keyword marks the property; it does not validate anything itself
            ObjectNode wrongType = (ObjectNode) json("{\"password\": 1}");
            assertThrows(InvalidInputException.class,
                    () -> JsonSchemas.applyDefaultsAndValidate(schema, wrongType, "/args"), dialect);
        }
    }

    @Test
    void userSchemasNeverMakeTheServerFetchAUrl() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"type\": \"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            for (String schema : List.of(
                    "{\"$ref\": \"" + base + "/ref.json\"}",
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"" + base + "/nested.json\"}}}",
                    "{\"$schema\": \"" + base + "/meta\", \"type\": \"object\"}")) {
                try {
                    JsonSchemas.checkSchema(json(schema), "/s");
                } catch (InvalidInputException rejected) {
                    // rejecting is fine; fetching is not
                }
            }
        } finally {
            server.stop(0);
        }
        assertEquals(0, requests.get(), "requests the server made on behalf of a client's schema");
    }

    // ---- applyDefaultsAndValidate ----

    @Test
    void defaultsFillAbsentProperties() {
        ObjectNode doc = applied(OPTIONS, "{\"bucket\": \"b\"}");
        assertEquals(json("""
                {"bucket": "b", "region": "us-east-1", "workers": 5, "tags": [], "extra": {}, "retry": {"attempts": 3}}"""),
                doc);
    }

    @Test
    void defaultsFillAbsentNestedProperties() {
        ObjectNode doc = applied(OPTIONS, "{\"bucket\": \"b\", \"retry\": {\"backoff\": {}}}");
        assertEquals(json("{\"attempts\": 3, \"backoff\": {\"unit\": \"s\"}}"), doc.get("retry"));
    }

    @Test
    void givenValuesWinOverDefaults() {
        ObjectNode doc = applied(OPTIONS, """
                {"bucket": "b", "region": "eu-west-1", "workers": 2, "tags": ["x"], "retry": {"attempts": 0}}""");
        assertEquals("eu-west-1", doc.get("region").asText());
        assertEquals(2, doc.get("workers").asInt());
        assertEquals(json("[\"x\"]"), doc.get("tags"));
        assertEquals(0, doc.get("retry").get("attempts").asInt());
    }

    @Test
    void explicitNullIsKeptForArrayAndObjectProperties() {
        // a client's null for a list or object is echoed back, not turned into [] or {}
        ObjectNode doc = applied(OPTIONS, "{\"bucket\": \"b\", \"tags\": null, \"extra\": null}");
        assertTrue(doc.get("tags").isNull());
        assertTrue(doc.get("extra").isNull());
    }

    @Test
    void explicitNullTakesTheDefaultForScalarProperties() {
        ObjectNode doc = applied(OPTIONS, "{\"bucket\": \"b\", \"region\": null, \"workers\": null}");
        assertEquals("us-east-1", doc.get("region").asText());
        assertEquals(5, doc.get("workers").asInt());
    }

    @Test
    void explicitNullTakesTheDefaultForNestedScalarProperties() {
        ObjectNode doc = applied(OPTIONS, "{\"bucket\": \"b\", \"retry\": {\"attempts\": null}}");
        assertEquals(3, doc.get("retry").get("attempts").asInt());
    }

    @Test
    void missingRequiredPropertyIsReportedAtItsPointer() {
        assertEquals("/args/bucket: required property missing", rejection(OPTIONS, "{}"));
        assertEquals("/args/a/q: required property missing", rejection("""
                {"type": "object", "properties": {"a": {"type": "object", "required": ["q"]}}}""", "{\"a\": {}}"));
    }

    @Test
    void everyViolationIsReportedWithItsPointer() {
        String message = rejection(OPTIONS, "{\"bucket\": 5, \"workers\": 0, \"retry\": {\"attempts\": \"x\"}}");
        List<String> parts = List.of(message.split("; "));
        assertEquals(3, parts.size(), message);
        assertTrue(parts.contains("/args/bucket: integer found, string expected"), message);
        assertTrue(parts.stream().anyMatch(p -> p.startsWith("/args/workers: ")), message);
        assertTrue(parts.contains("/args/retry/attempts: string found, integer expected"), message);
    }

    @Test
    void aDocumentThatFailsIsNotReportedAsValidTheSecondTime() {
        // compiled schemas are cached; the cache must not remember results
        rejection(OPTIONS, "{}");
        assertDoesNotThrow(() -> applied(OPTIONS, "{\"bucket\": \"b\"}"));
        rejection(OPTIONS, "{}");
    }
}

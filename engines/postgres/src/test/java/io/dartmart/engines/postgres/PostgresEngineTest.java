package io.dartmart.engines.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.dartmart.engines.sdk.DartEngine;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.dartmart.engines.postgres.TestWarehouse.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The postgres engine's registration: its action types, and schemas the API can check args and options with. */
class PostgresEngineTest {
    private static final JsonSchemaFactory DRAFT7 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    @Test
    void theEngineRegistersFiveActionTypesWithAHandlerEach() {
        DartEngine engine = PostgresEngine.builder(TestWarehouse.CLIENTS, Clock.systemUTC())
                .apiUrl("http://localhost:5000").apiKey("k:s").build();
        assertEquals("postgres_engine", engine.name());
        List<String> types = new ArrayList<>();
        engine.registration().get("supported_action_types").forEach(t -> types.add(t.get("name").asText()));
        assertEquals(List.of("execute_sql", "data_check", "load_dataset", "consume_subscription", "copy_to_s3"), types);
        assertEquals(List.copyOf(PostgresEngine.handlers(TestWarehouse.CLIENTS, Clock.systemUTC()).keySet()), types);
    }

    @Test
    void everySchemaIsValidDraft07() {
        JsonSchema meta = DRAFT7.getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V7.getId()));
        JsonNode reg = PostgresEngine.registration();
        assertEquals(Set.of(), meta.validate(reg.get("options_json_schema")));
        for (JsonNode type : reg.get("supported_action_types")) {
            assertEquals(Set.of(), meta.validate(type.get("params_json_schema")), type.get("name").asText());
        }
    }

    @Test
    void aDatastoreNamesAHostAndADatabaseOrAJdbcUrlAndItsPasswordIsASecret() {
        JsonNode options = PostgresEngine.registration().get("options_json_schema");
        JsonSchema schema = DRAFT7.getSchema(options);
        for (String ok : List.of("{\"host\": \"db.example.com\", \"database\": \"w\", \"user\": \"u\", \"password\": \"p\"}",
                "{\"jdbc_url\": \"jdbc:postgresql://a,b/w?targetServerType=primary\", \"ssl_mode\": \"verify-full\"}")) {
            assertEquals(Set.of(), schema.validate(json(ok)), ok);
        }
        for (String bad : List.of("{}", "{\"host\": \"db\"}", "{\"host\": \"db; rm\", \"database\": \"w\"}",
                "{\"jdbc_url\": \"jdbc:mysql://x/y\"}", "{\"host\": \"h\", \"database\": \"w\", \"ssl_mode\": \"on\"}",
                "{\"host\": \"h\", \"database\": \"w\", \"extra\": 1}")) {
            assertFalse(schema.validate(json(bad)).isEmpty(), bad);
        }
        assertTrue(options.path("properties").path("password").path("x-dart-secret").asBoolean());
    }
}

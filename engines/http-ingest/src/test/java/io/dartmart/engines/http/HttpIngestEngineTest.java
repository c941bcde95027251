package io.dartmart.engines.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.dartmart.engines.postgres.PostgresEngine;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.DartEngine;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.dartmart.engines.http.TestApi.Answer.ok;
import static io.dartmart.engines.http.TestIngest.COLUMNS;
import static io.dartmart.engines.http.TestIngest.items;
import static io.dartmart.engines.http.TestIngest.jsonOf;
import static io.dartmart.engines.http.TestIngest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's registration, and its handler keeping secrets out of logs and error messages. */
class HttpIngestEngineTest {
    private static final JsonSchemaFactory DRAFT7 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    @Test
    void theEngineRegistersIngestHttpOnDatastoresWithThePostgresEnginesOptions() {
        DartEngine engine = HttpIngestEngine.builder(TestIngest.CLIENTS).apiUrl("http://localhost:5000").apiKey("k:s")
                .build();
        assertEquals("http_ingest", engine.name());
        JsonNode reg = engine.registration();
        assertEquals(PostgresEngine.registration().get("options_json_schema"), reg.get("options_json_schema"));
        assertEquals("ingest_http", reg.at("/supported_action_types/0/name").asText());
        JsonSchema meta = DRAFT7.getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V7.getId()));
        JsonNode params = reg.at("/supported_action_types/0/params_json_schema");
        assertEquals(Set.of(), meta.validate(params));
        for (String secret : List.of("token", "password", "api_key", "hawk_key")) {
            assertTrue(params.at("/properties/auth/properties/" + secret + "/x-dart-secret").asBoolean(), secret);
        }
        JsonSchema schema = DRAFT7.getSchema(params);
        assertEquals(Set.of(), schema.validate(jsonOf("{\"url\": \"https://api.example.com/v1/orders\", \"auth\":"
                + " {\"type\": \"bearer\", \"token\": \"t\"}, \"pagination\": {\"type\": \"cursor\", \"cursor_path\":"
                + " \"$.next\"}, \"columns\": " + COLUMNS + ", \"target_table_name\": \"orders\"}")));
        assertFalse(schema.validate(jsonOf("{\"url\": \"ftp://x/y\"}")).isEmpty());
        assertFalse(schema.validate(jsonOf("{\"url\": \"https://x/y\", \"load_type\": \"RELOAD_LAST\"}")).isEmpty());
    }

    @Test
    void secretsNeverReachTheLogsNorTheErrorMessageEvenWhenTheServerEchoesThem() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.dartmart");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level was = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        List<String> secrets = List.of("bearer-s3cr3t", "basic-s3cr3t", "query-key-s3cr3t", "hawk-s3cr3t");
        List<String> errors = new ArrayList<>();
        try (TestApi api = new TestApi((r, i) -> TestApi.param(r, "fail") != null
                ? new TestApi.Answer(400, "{\"bad credentials\": \"" + r.header("Authorization") + " "
                + r.uri().getRawQuery() + "\"}", List.of())
                : ok("{\"data\": " + items(i + 1, i + 1) + ", \"next\": " + (TestApi.param(r, "p") == null
                ? "\"/orders?p=2\"" : "null") + "}"))) {
            List<String> auths = List.of("{\"type\": \"bearer\", \"token\": \"bearer-s3cr3t\"}",
                    "{\"type\": \"basic\", \"username\": \"u\", \"password\": \"basic-s3cr3t\"}",
                    "{\"type\": \"api_key\", \"api_key\": \"query-key-s3cr3t\", \"api_key_in\": \"query\"}",
                    "{\"type\": \"hawk\", \"hawk_id\": \"id\", \"hawk_key\": \"hawk-s3cr3t\"}");
            for (String auth : auths) {
                for (String query : List.of("{}", "{\"fail\": \"yes\"}")) {
                    String args = "{\"url\": \"" + api.url("/orders") + "\", \"query\": " + query + ", \"auth\": " + auth
                            + ", \"records_path\": \"$.data\", \"pagination\": {\"type\": \"next_link\","
                            + " \"next_link_path\": \"$.next\"}, \"columns\": " + COLUMNS + ", \"target_schema_name\": \""
                            + unique("sec") + "\", \"target_table_name\": \"orders\"}";
                    try {
                        HttpIngestEngine.handlers(TestIngest.CLIENTS, Clock.systemUTC()).get("ingest_http")
                                .run(new Context(jsonOf(args)));
                    } catch (IllegalStateException e) {
                        errors.add(e.getMessage() + " caused by " + e.getCause());
                    }
                }
            }
            assertEquals(12, api.requests.size(), "two pages for each auth, then one refused request each");
        } finally {
            root.detachAppender(logs);
            ours.setLevel(was);
        }
        assertEquals(4, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).contains("answered 400: {\"bad credentials\": \"Bearer ********"), errors.get(0));
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("ingest_http loaded 2 rows")));
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            secrets.forEach(s -> assertFalse(line.contains(s), line));
        }
        for (String error : errors) {
            secrets.forEach(s -> assertFalse(error.contains(s), error));
            assertFalse(error.contains("dTpiYXNpYy1zM2NyM3Q="), "nor the basic credentials as sent: " + error);
        }
    }

    @Test
    void aRunStoppedBetweenPagesRollsBack() throws Exception {
        String schema = unique("stop");
        try (TestApi api = new TestApi((r, i) -> ok("{\"data\": " + items(i + 1, i + 1) + ", \"next\": \"/more\"}"))) {
            var args = jsonOf("{\"url\": \"" + api.url("/orders") + "\", \"records_path\": \"$.data\", \"pagination\":"
                    + " {\"type\": \"next_link\", \"next_link_path\": \"$.next\"}, \"columns\": " + COLUMNS
                    + ", \"target_schema_name\": \"" + schema + "\", \"target_table_name\": \"orders\"}");
            assertThrows(java.util.concurrent.CancellationException.class, () -> HttpIngest.run(args, null,
                    TestIngest.warehouse(), TestIngest.S3, new HttpIngest.Run("A1", d -> { }, () -> api.requests.size() >= 3,
                            Clock.systemUTC()), Auth.of(null, Clock.systemUTC())));
        }
        assertEquals(List.of(), TestIngest.rows("SELECT * FROM pg_tables WHERE schemaname = '" + schema + "'"));
    }

    /** What the SDK hands a handler, for an action on a datastore reaching the test database. */
    private record Context(JsonNode actionArgs) implements ActionContext {
        public String actionId() {
            return "A1";
        }

        public int attempt() {
            return 1;
        }

        public String actionTypeName() {
            return "ingest_http";
        }

        public JsonNode datastoreArgs() {
            return jsonOf("{\"jdbc_url\": \"" + io.dartmart.domain.testing.TestDatabase.jdbcUrl() + "\"}");
        }

        public JsonNode parameters() {
            return null;
        }

        public JsonNode action() {
            return null;
        }

        public JsonNode datastore() {
            return null;
        }

        public void progress(double fraction) {
        }

        public Iterable<JsonNode> subscriptionElements() {
            return List.of();
        }

        public JsonNode entity(String entityType, String id) {
            throw new UnsupportedOperationException("no entity is read here");
        }

        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        public boolean isStopped() {
            return false;
        }
    }
}

package io.dartmart.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.testing.Await;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.domain.testing.TestS3;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.dartmart.local.AdminApi.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The postgres engine as local mode runs it, on the {@code local_warehouse} datastore local mode provisions: the
 * README's walkthrough over the real API (guess a dataset from a CSV in S3, load it, check it, unload a query back
 * to S3), and the password never leaving the datastore in clear, in the API's answers or in the logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PostgresEngineEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private EmbeddedServer server;
    private AdminApi api;
    private S3Client s3;
    private String warehouse;
    private final List<AutoCloseable> engines = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level rootLevel;

    @BeforeAll
    void start() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        logs.start();
        root.addAppender(logs);
        server = AdminApi.startServer(TestS3.properties());
        api = new AdminApi(server.getURI());
        s3 = server.getApplicationContext().getBean(S3Client.class);
        engines.addAll(LocalEngines.start(server.getApplicationContext(), server.getURI().toString()));
        warehouse = LocalWarehouse.provision(server.getApplicationContext());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : engines) {
            c.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void aCsvInS3IsGuessedLoadedCheckedAndUnloadedOnTheLocalWarehouse() throws Exception {
        String bucket = "pg-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("incoming/cities.csv"),
                RequestBody.fromString("city,country,population\nLyon,FR,522250\nPorto,PT,231800\n"));
        JsonNode guess = api.get("/api/1/dataset/guess?s3_path="
                + URLEncoder.encode("s3://" + bucket + "/incoming/cities.csv", StandardCharsets.UTF_8)).get("results").get("data");
        ((ObjectNode) guess).put("name", "cities_" + bucket.substring(7));
        String dataset = api.call("POST", "/api/1/dataset", MAPPER.createObjectNode().set("data", guess))
                .path("results").path("id").asText();

        JsonNode load = run("load_dataset", Map.of("dataset_id", dataset, "target_schema_name", "e2e",
                "target_table_name", "cities"));
        assertEquals("COMPLETED", load.path("state").asText(), load::toString);
        assertEquals(List.of("Lyon|FR|522250", "Porto|PT|231800"), rows("SELECT * FROM e2e.cities ORDER BY city"));
        assertEquals("COMPLETED", run("load_dataset", Map.of("dataset_id", dataset, "target_schema_name", "e2e",
                "target_table_name", "cities")).path("state").asText());
        assertEquals(2, rows("SELECT * FROM e2e.cities").size(), "a re-run loaded nothing twice");

        assertEquals("COMPLETED", run("data_check", Map.of("sql_script",
                "SELECT count(*) = 2 FROM e2e.cities")).path("state").asText());
        JsonNode failed = run("data_check", Map.of("sql_script", "SELECT count(*) > 2 FROM e2e.cities"));
        assertEquals("FAILED", failed.path("state").asText());
        assertEquals("data_check failed: the query SELECT count(*) > 2 FROM e2e.cities gave false, not true",
                failed.path("error_message").asText());

        assertEquals("COMPLETED", run("copy_to_s3", Map.of("source_sql_statement",
                "SELECT city, population FROM e2e.cities ORDER BY city", "destination_s3_path",
                "s3://" + bucket + "/export/cities.csv", "delimiter", ",", "header", true, "gzip", false))
                .path("state").asText());
        assertEquals("city,population\nLyon,522250\nPorto,231800\n",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("export/cities.csv")).asUtf8String());
    }

    @Test
    void passwordsAreSecretsNeverShownNorLogged() throws Exception {
        JsonNode provisioned = api.get("/api/1/datastore/" + warehouse).path("results").path("data");
        assertEquals("********", provisioned.path("args").path("password").asText(), provisioned::toString);
        String password = "e2e-Sup3r-" + UUID.randomUUID();
        String url = TestDatabase.jdbcUrl().replace("/postgres?", "/" + LocalWarehouse.DATABASE + "?");
        String reachable = api.create("/api/1/datastore", Map.of("name", "pg-secret", "engine_name", "postgres_engine",
                "state", "ACTIVE", "args", Map.of("jdbc_url", url, "password", password)));
        String unreachable = api.create("/api/1/datastore", Map.of("name", "pg-nowhere", "engine_name",
                "postgres_engine", "state", "ACTIVE", "args", Map.of("host", "127.0.0.1", "port", 1, "database", "w",
                        "user", "u", "password", password)));
        assertEquals("COMPLETED", run(reachable, "execute_sql", Map.of("sql_script", "SELECT 1")).path("state").asText());
        JsonNode failed = run(unreachable, "execute_sql", Map.of("sql_script", "SELECT 1"));
        assertEquals("FAILED", failed.path("state").asText());
        assertTrue(failed.path("error_message").asText().startsWith("connecting to 127.0.0.1:1/w failed"),
                failed::toString);
        assertFalse(api.get("/api/1/datastore/" + reachable).toString().contains(password));
        assertFalse(logs.list.isEmpty(), "the engines logged");
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            assertFalse(e.getFormattedMessage().contains(password), e::getFormattedMessage);
        }
    }

    private JsonNode run(String type, Map<String, Object> args) throws Exception {
        return run(warehouse, type, args);
    }

    /** An ad-hoc action on an ACTIVE datastore, which the platform queues, awaited; answers its data once it ended. */
    private JsonNode run(String datastore, String type, Map<String, Object> args) throws Exception {
        JsonNode created = api.call("POST", "/api/1/datastore/" + datastore + "/action",
                AdminApi.data(Map.of("name", type, "action_type_name", type, "args", args)));
        JsonNode results = created.path("results");
        String id = (results.isArray() ? results.get(0) : results).path("id").asText();
        JsonNode[] last = new JsonNode[1];
        Await.until(type + " " + id + " ends", DEADLINE, () -> {
            last[0] = api.get("/api/1/action/" + id).path("results").path("data");
            String state = last[0].path("state").asText();
            return state.equals("COMPLETED") || state.equals("FAILED");
        });
        return last[0];
    }

    private static List<String> rows(String query) throws Exception {
        List<String> rows = new ArrayList<>();
        String url = TestDatabase.jdbcUrl().replace("/postgres?", "/" + LocalWarehouse.DATABASE + "?");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}

package io.dartmart.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.domain.testing.TestS3;
import io.dartmart.engines.postgres.Warehouse;
import io.dartmart.engines.s3.S3Clients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Runs ingest_http against the embedded PostgreSQL and the test S3 server, and reads what it loaded. */
final class TestIngest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final S3Clients CLIENTS = new S3Clients(TestS3.endpoint(), "us-east-1",
            StaticCredentialsProvider.create(AwsBasicCredentials.create(TestS3.ACCESS_KEY, TestS3.SECRET_KEY)));
    static final S3Client S3 = CLIENTS.forDatastore(null);
    /** The columns of {@link #items}: an id, a nested name and an amount. */
    static final String COLUMNS = """
            [{"name": "id", "data_type": "BIGINT", "path": "$.id"},
             {"name": "name", "data_type": "STRING", "path": "$.customer.name"},
             {"name": "amount", "data_type": "NUMERIC", "precision": 10, "scale": 2}]""";

    private TestIngest() {
    }

    static JsonNode jsonOf(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unique(String purpose) {
        return purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Warehouse warehouse() {
        return Warehouse.of(jsonOf("{\"jdbc_url\": \"" + TestDatabase.jdbcUrl() + "\"}"));
    }

    /** Runs the action with {@code args} (a JSON object), waiting with Thread.sleep. */
    static HttpIngest.Result ingest(String args) throws Exception {
        JsonNode a = jsonOf(args);
        return HttpIngest.run(a, null, warehouse(), S3, new HttpIngest.Run("A1", d -> Thread.sleep(d.toMillis()),
                () -> false, Clock.systemUTC()), Auth.of(a.get("auth"), Clock.systemUTC()));
    }

    /** Records with ids {@code from} to {@code to}, as a JSON array; names {@code name-<id>}, amounts id/10. */
    static String items(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"id\": " + i + ", \"customer\": {\"name\": \"name-" + i
                + "\"}, \"amount\": " + (i / 10.0) + "}").collect(Collectors.joining(", ", "[", "]"));
    }

    static void sql(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every row of a query, each as its values' text joined by {@code |}. */
    static List<String> rows(String query) throws SQLException {
        return TestDatabase.rows(query);
    }

    /** The ids in a table, in order. */
    static List<Long> ids(String table) throws SQLException {
        return rows("SELECT id FROM " + table + " ORDER BY id").stream().map(Long::valueOf).toList();
    }

    static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
}

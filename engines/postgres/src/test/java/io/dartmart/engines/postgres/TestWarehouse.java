package io.dartmart.engines.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.domain.testing.TestS3;
import io.dartmart.engines.s3.S3Clients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** The embedded PostgreSQL and the test S3 server as the engine sees them, with unique schemas and buckets. */
final class TestWarehouse {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final S3Clients CLIENTS = new S3Clients(TestS3.endpoint(), "us-east-1",
            StaticCredentialsProvider.create(AwsBasicCredentials.create(TestS3.ACCESS_KEY, TestS3.SECRET_KEY)));
    static final S3Client S3 = CLIENTS.forDatastore(null);

    private TestWarehouse() {
    }

    static Warehouse warehouse() {
        return Warehouse.of(json("{\"jdbc_url\": \"" + TestDatabase.jdbcUrl() + "\"}"));
    }

    static String unique(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String bucket(String purpose) {
        String bucket = unique(purpose);
        S3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    static void put(String bucket, String key, String content) {
        put(bucket, key, content.getBytes(StandardCharsets.UTF_8));
    }

    static void put(String bucket, String key, byte[] content) {
        S3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    static byte[] gzip(String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestDatabase.jdbcUrl());
    }

    /** Runs statements on a connection of their own, committed. */
    static void sql(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every row of a query, each as its values' text joined by {@code |} (null as {@code NULL}). */
    static List<String> rows(String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(r.getString(i) == null ? "NULL" : r.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}

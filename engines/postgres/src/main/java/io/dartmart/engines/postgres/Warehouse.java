package io.dartmart.engines.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.s3.Args;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Where a postgres_engine datastore points (its options: host, port, database, or a JDBC URL; user, password,
 * schema, SSL mode), and connections to it. The password travels in the connection properties only: it is never part
 * of a URL, a message or a log line.
 */
public final class Warehouse {
    private static final String APPLICATION_NAME = "dart postgres_engine";
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final String url;
    private final String shownAs;
    private final Properties properties;

    private Warehouse(String url, String shownAs, Properties properties) {
        this.url = url;
        this.shownAs = shownAs;
        this.properties = properties;
    }

    /**
     * Reads a datastore's options.
     *
     * @throws IllegalArgumentException when they name neither a JDBC URL nor a host and a database
     */
    public static Warehouse of(JsonNode options) {
        if (options == null) {
            throw new IllegalArgumentException("the action has no datastore: postgres_engine needs one to connect to");
        }
        String jdbcUrl = Args.blankToNull(Args.optional(options, "jdbc_url"));
        String url;
        String shownAs;
        if (jdbcUrl != null) {
            url = jdbcUrl;
            int query = jdbcUrl.indexOf('?');
            shownAs = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        } else {
            String host = Args.blankToNull(Args.optional(options, "host"));
            String database = Args.optional(options, "database");
            if (host == null || database == null) {
                throw new IllegalArgumentException("the datastore names no jdbc_url, nor a host and a database");
            }
            long port = Args.number(options, "port", 5432);
            url = "jdbc:postgresql://" + host + ":" + port + "/"
                    + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
            shownAs = host + ":" + port + "/" + database;
        }
        Properties p = new Properties();
        setIfPresent(p, "user", Args.optional(options, "user"));
        setIfPresent(p, "password", Args.optional(options, "password"));
        setIfPresent(p, "sslmode", Args.blankToNull(Args.optional(options, "ssl_mode")));
        setIfPresent(p, "currentSchema", Args.blankToNull(Args.optional(options, "schema")));
        p.setProperty("ApplicationName", APPLICATION_NAME);
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("tcpKeepAlive", "true");
        return new Warehouse(url, shownAs, p);
    }

    private static void setIfPresent(Properties p, String name, String value) {
        if (value != null) {
            p.setProperty(name, value);
        }
    }

    /**
     * A new connection in a transaction (auto-commit off), read only when asked, with {@code statementTimeout} as
     * the transaction's statement_timeout when not null.
     *
     * @throws IllegalStateException saying where it tried to connect and the server's (or the network's) answer
     */
    public Connection connect(boolean readOnly, Duration statementTimeout) {
        Connection c;
        try {
            c = DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new IllegalStateException("connecting to " + shownAs + " failed: " + e.getMessage(), e);
        }
        try {
            c.setAutoCommit(false);
            c.setReadOnly(readOnly);
            if (statementTimeout != null) {
                try (PreparedStatement s = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
                    s.setString(1, statementTimeout.toMillis() + "ms");
                    s.execute();
                }
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("setting up the connection to " + shownAs + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return shownAs;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the connection is being given up after another failure, which is the one reported
        }
    }
}

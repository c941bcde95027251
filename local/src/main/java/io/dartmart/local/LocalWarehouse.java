package io.dartmart.local;

import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.engines.postgres.PostgresEngine;
import io.micronaut.context.ApplicationContext;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The data warehouse of local mode: a {@code warehouse} database in the embedded PostgreSQL, owned by a login role of
 * its own (not the superuser dart itself uses), and the ACTIVE datastore {@code local_warehouse} of postgres_engine
 * that reaches it, its password kept as a secret. Made on first start; a later start keeps them, and makes the
 * datastore again (with a new password) only when it was deleted.
 */
final class LocalWarehouse {
    static final String DATASTORE = "local_warehouse";
    static final String DATABASE = "warehouse";
    static final String ROLE = "dart_warehouse";

    private LocalWarehouse() {
    }

    /** @return the datastore's id */
    static String provision(ApplicationContext context) throws SQLException {
        Entities entities = context.getBean(Entities.class);
        var existing = entities.list(EntityType.DATASTORE, ListQuery.of(List.of(Filter.eq("name", DATASTORE),
                Filter.eq("engine_name", PostgresEngine.NAME)))).items();
        String url = context.getRequiredProperty("datasources.default.url", String.class);
        try (Connection c = DriverManager.getConnection(url,
                context.getProperty("datasources.default.username", String.class).orElse("postgres"),
                context.getProperty("datasources.default.password", String.class).orElse(""));
             Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROLE)) {
                s.execute("CREATE ROLE " + ROLE + " LOGIN");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            }
            if (!existing.isEmpty()) {
                return existing.get(0).id();
            }
            // the password is ours (letters, digits, - and _ only): ALTER ROLE takes no bind parameters
            String password = Ids.newToken(32);
            s.execute("ALTER ROLE " + ROLE + " PASSWORD '" + password + "'");
            URI server = URI.create(url.substring("jdbc:".length()));
            var data = Json.object();
            data.put("name", DATASTORE);
            data.put("engine_name", PostgresEngine.NAME);
            data.put("state", "ACTIVE");
            data.put("description", "the warehouse database of local mode's embedded PostgreSQL");
            var args = data.putObject("args");
            args.put("host", server.getHost());
            args.put("port", server.getPort());
            args.put("database", DATABASE);
            args.put("user", ROLE);
            args.put("password", password);
            args.put("ssl_mode", "disable");
            var body = Json.object();
            body.set("data", data);
            return entities.create(EntityType.DATASTORE, body, Caller.SYSTEM).id();
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}

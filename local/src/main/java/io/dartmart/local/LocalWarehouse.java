package io.dartmart.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.engines.http.HttpIngestEngine;
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
 * its own (not the superuser dart itself uses), and two ACTIVE datastores that reach it as that role, its password
 * kept as a secret: {@code local_warehouse} of postgres_engine and {@code local_http_ingest} of http_ingest (so tables
 * one loads, the other can query). Each start gives the role a new password and both datastores the server's address
 * (its port changes at each start) and that password, making a datastore again when it was deleted.
 */
final class LocalWarehouse {
    static final String DATASTORE = "local_warehouse";
    static final String HTTP_DATASTORE = "local_http_ingest";
    static final String DATABASE = "warehouse";
    static final String ROLE = "dart_warehouse";

    private LocalWarehouse() {
    }

    /** @return the id of the postgres_engine datastore */
    static String provision(ApplicationContext context) throws SQLException {
        Entities entities = context.getBean(Entities.class);
        String warehouse = find(entities, DATASTORE, PostgresEngine.NAME);
        String http = find(entities, HTTP_DATASTORE, HttpIngestEngine.NAME);
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
            // the password is ours (letters, digits, - and _ only): ALTER ROLE takes no bind parameters
            String password = Ids.newToken(32);
            s.execute("ALTER ROLE " + ROLE + " PASSWORD '" + password + "'");
            URI server = URI.create(url.substring("jdbc:".length()));
            var args = Json.object();
            args.put("host", server.getHost());
            args.put("port", server.getPort());
            args.put("database", DATABASE);
            args.put("user", ROLE);
            args.put("password", password);
            args.put("ssl_mode", "disable");
            String id = provide(entities, warehouse, DATASTORE, PostgresEngine.NAME, args,
                    "the warehouse database of local mode's embedded PostgreSQL");
            provide(entities, http, HTTP_DATASTORE, HttpIngestEngine.NAME, args,
                    "pulls JSON APIs into the warehouse database of local mode's embedded PostgreSQL");
            return id;
        }
    }

    private static String find(Entities entities, String name, String engine) {
        var found = entities.list(EntityType.DATASTORE, ListQuery.of(List.of(Filter.eq("name", name),
                Filter.eq("engine_name", engine)))).items();
        return found.isEmpty() ? null : found.get(0).id();
    }

    /** Creates the datastore, or gives the existing one {@code args}; answers its id. */
    private static String provide(Entities entities, String id, String name, String engine, ObjectNode args,
                                  String description) {
        if (id != null) {
            var patch = Json.array();
            patch.addObject().put("op", "replace").put("path", "/data/args").set("value", args.deepCopy());
            return entities.patch(EntityType.DATASTORE, id, patch, Caller.SYSTEM).id();
        }
        var data = Json.object();
        data.put("name", name);
        data.put("engine_name", engine);
        data.put("state", "ACTIVE");
        data.put("description", description);
        data.set("args", args.deepCopy());
        var body = Json.object();
        body.set("data", data);
        return entities.create(EntityType.DATASTORE, body, Caller.SYSTEM).id();
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

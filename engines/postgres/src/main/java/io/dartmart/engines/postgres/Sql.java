package io.dartmart.engines.postgres;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Names and the few literals that SQL cannot take as bind parameters (COPY's options), made safe to put into a
 * statement. Everything else a user gives is bound.
 */
final class Sql {
    /** PostgreSQL cuts longer names silently, which could make two different names one. */
    static final int MAX_NAME_BYTES = 63;

    private Sql() {
    }

    /**
     * A quoted identifier: any name PostgreSQL can hold, exactly as given (case kept).
     *
     * @param what the argument or field the name came from, for the message
     * @throws IllegalArgumentException when the name is empty, too long or holds a NUL character
     */
    static String name(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_NAME_BYTES + " bytes: " + name);
        }
        try {
            return Utils.escapeIdentifier(null, name).toString();
        } catch (SQLException e) {
            throw new IllegalArgumentException(what + " cannot be a name: " + e.getMessage(), e);
        }
    }

    /** {@code "schema"."table"}. */
    static String table(String schema, String table) {
        return name("target_schema_name", schema) + "." + name("target_table_name", table);
    }

    /** The quoted names, comma-separated. */
    static String names(String what, List<String> names) {
        return names.stream().map(n -> name(what, n)).collect(Collectors.joining(", "));
    }

    /**
     * A string literal for a COPY option, escaped as the connection's {@code standard_conforming_strings} needs.
     *
     * @throws IllegalArgumentException when the text holds a NUL character
     */
    static String literal(Connection c, String what, String text) throws SQLException {
        boolean standard = c.unwrap(BaseConnection.class).getStandardConformingStrings();
        try {
            return (standard ? "'" : "E'") + Utils.escapeLiteral(null, text, standard) + "'";
        } catch (SQLException e) {
            throw new IllegalArgumentException(what + " cannot be used: " + e.getMessage(), e);
        }
    }
}

package io.dartmart.engines.postgres;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/** A database error in an action's error_message: the server's own words, its detail and where it happened. */
final class Failures {
    private Failures() {
    }

    static String message(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            StringBuilder s = new StringBuilder(m.getMessage() == null ? String.valueOf(p.getMessage()) : m.getMessage());
            if (m.getDetail() != null) {
                s.append(" (").append(m.getDetail()).append(')');
            }
            if (m.getWhere() != null) {
                s.append(" [").append(m.getWhere()).append(']');
            }
            if (m.getSQLState() != null) {
                s.append(" SQLSTATE ").append(m.getSQLState());
            }
            return s.toString();
        }
        return e.getMessage();
    }
}

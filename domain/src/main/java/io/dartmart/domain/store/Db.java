package io.dartmart.domain.store;

import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.InvalidInputException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Transactions over the pool. Every write of a request runs in one transaction, so a failure half-way leaves
 * nothing behind.
 */
@Singleton
public class Db {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK = "40P01";
    private static final String DATA_EXCEPTION_CLASS = "22";

    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in a read-write transaction; commits when it returns, rolls back when it throws. */
    public <T> T tx(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable t) {
                c.rollback();
                throw t;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs read-only work outside an explicit transaction. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** The error a failed statement stands for: a taken unique value is a 409, a value out of range a 400. */
    public static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            return new ConflictException(uniqueMessage(e));
        }
        if (state != null && state.startsWith(DATA_EXCEPTION_CLASS)) {
            // a value the database cannot hold (out of range, bad encoding): the client's input, not our fault
            String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            return new InvalidInputException("a value cannot be stored: " + first.replaceFirst("^ERROR: ", ""));
        }
        if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state)) {
            return new ConflictException("a concurrent change collided with this one; retry the request");
        }
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }

    private static String uniqueMessage(SQLException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        // constraint names are <table>_<column>_unique; turn them into the field a client can act on
        var m = java.util.regex.Pattern.compile("\"(\\w+?)_(\\w+)_unique\"").matcher(msg);
        if (m.find()) {
            return "/data/" + m.group(2) + ": a " + m.group(1) + " with this " + m.group(2) + " already exists";
        }
        return "a unique value is already taken";
    }
}

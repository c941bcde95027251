package io.dartmart.domain.store;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What counts as a database that cannot be reached (a 503 to a request, a wait for a worker starting), and what is a
 * mistake that waiting would not mend.
 */
class DbUnreachableTest {
    @Test
    void aRefusedOrClosedConnectionOrARestartingDatabaseIsUnreachableWhereverItIsInTheCauses() {
        assertTrue(Db.unreachable(new RuntimeException("could not start", new SQLException("refused", "08001",
                new ConnectException("Connection refused")))));
        assertTrue(Db.unreachable(new IllegalStateException("metadata", new SQLException("This connection has been closed.",
                "08003"))));
        assertTrue(Db.unreachable(new SQLException("the database system is starting up", "57P03")));
        assertTrue(Db.unreachable(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(Db.unreachable(new SQLTransientConnectionException("Connection is not available, request timed out")));
        assertTrue(Db.unreachable(new RuntimeException(new ConnectException("Connection refused"))));
    }

    @Test
    void aWrongPasswordOrAStatementsMistakeIsNot() {
        assertFalse(Db.unreachable(new RuntimeException(new SQLException("password authentication failed", "28P01"))));
        assertFalse(Db.unreachable(new SQLException("relation \"nope\" does not exist", "42P01")));
        assertFalse(Db.unreachable(new IllegalStateException("no database configured")));
    }
}

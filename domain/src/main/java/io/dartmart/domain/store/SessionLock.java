package io.dartmart.domain.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL advisory lock held by one process at a time, on a connection of its own. The lock goes with its
 * session, so when the holder dies (its connection drops) another process takes it on its next try, at once rather
 * than after a lease runs out.
 */
public final class SessionLock implements AutoCloseable {
    private final Db db;
    private final String name;
    private Connection held;

    public SessionLock(Db db, String name) {
        this.db = db;
        this.name = name;
    }

    /** Whether this process holds the lock now: keeps it when held, tries to take it otherwise. */
    public synchronized boolean hold() {
        try {
            if (held != null && held.isValid(5)) {
                return true;
            }
            close();
            Connection c = db.dataSource().getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        held = c;
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException e) {
            close();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (held != null) {
            // the connection goes back to the pool, so the lock must not go with it
            try (Connection c = held; Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException ignored) {
                // the connection is gone, and the lock with its session
            }
            held = null;
        }
    }
}

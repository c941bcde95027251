package io.dartmart.domain.store;

import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.error.UnavailableException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

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
    private static final String QUERY_CANCELED = "57014";
    /**
     * The database is gone or going, not the request wrong: connection exceptions (class 08), its shutdown or
     * recovery (57P01-57P03) and too many connections (53300).
     */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final Set<String> DATABASE_UNAVAILABLE = java.util.Set.of("57P01", "57P02", "57P03",
            "53300");

    private final DataSource dataSource;
    private final Duration readTimeout;
    private final ReadWatch watch;

    public Db(DataSource dataSource) {
        this(dataSource, Duration.ofSeconds(30), ReadWatch.NONE);
    }

    @Inject
    public Db(DataSource dataSource, @Value("${dart.db.read-timeout:30s}") Duration readTimeout,
              @Nullable ReadWatch watch) {
        this.dataSource = dataSource;
        this.readTimeout = readTimeout;
        this.watch = watch == null ? ReadWatch.NONE : watch;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in a read-write transaction; commits when it returns, rolls back when it throws. */
    public <T> T tx(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            session(c, Session.DEFAULTS);
            c.setAutoCommit(false);
            return commitOrRollBack(c, work);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static <T> T commitOrRollBack(Connection c, SqlWork<T> work) throws SQLException {
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (Throwable t) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                // a connection that died takes its transaction with it; the error that killed it is what tells why
                t.addSuppressed(rollback);
            }
            throw t;
        }
    }

    /**
     * Runs read-only work, each statement bounded in time by {@code dart.db.read-timeout} (PostgreSQL's
     * statement_timeout, set on the connection's session; see {@link Session}) and cancelled when the
     * {@link ReadWatch} says its requester has gone. The statements run outside a transaction: work that must see
     * one snapshot, or write, belongs in {@link #tx}. It is for lookups by id or key, whose plans no setting changes,
     * so it runs with whichever plan settings the connection's last read left (generic plans and no sequential scans
     * after {@link #readByIndexes}); anything that scans or aggregates takes {@link #readWithCustomPlans}.
     */
    public <T> T read(SqlWork<T> work) {
        return read(work, null);
    }

    /**
     * {@link #read}, with PostgreSQL choosing plans as it does by default, so that a statement the driver sends
     * unnamed is planned for its values: for filtered lists, whose best plan depends on the value (a rare state
     * against a common one), and for any read that scans or aggregates.
     */
    public <T> T readWithCustomPlans(SqlWork<T> work) {
        return read(work, Session.READS);
    }

    /**
     * {@link #read}, for work whose statements are written as index lookups by arrays of ids (the graph): every
     * statement runs on its generic plan once the driver has prepared it, instead of being planned again for each
     * execution, since no value makes another plan better and planning took as long as running; and without
     * sequential scans. A young installation's tables are small, and the planner, pricing a per-row JSON containment
     * check at next to nothing, scanned a table of 100 triggers once per workflow of a level instead of probing its
     * index: 2 ms a branch where the index takes 0.3, so the graph was twice as slow at 100,000 actions as at a
     * million.
     */
    public <T> T readByIndexes(SqlWork<T> work) {
        return read(work, Session.INDEX_READS);
    }

    /** {@code plans} null: any of the read sessions. */
    private <T> T read(SqlWork<T> work, Session plans) {
        try (Connection c = dataSource.getConnection()) {
            session(c, plans);
            PGConnection pg = c.unwrap(PGConnection.class);
            try (ReadWatch.Registration ignored = watch.whenGone(() -> cancel(pg))) {
                return work.run(c);
            }
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState())) {
                throw new UnavailableException("the database did not answer within " + readTimeout.toSeconds()
                        + " s (dart.db.read-timeout), or the request was abandoned; narrow the filters or retry", e);
            }
            throw translate(e);
        }
    }

    /**
     * What a pooled connection's session is set for. Reads run without a transaction, each statement on its own (in
     * READ COMMITTED a transaction's statements share no snapshot anyway), under settings of the session: a read then
     * costs its statements' round trips alone, where a transaction with SET LOCAL added two (the settings, the
     * commit) to every read, more than the statement itself costs a short request. The session keeps the settings
     * for the next read on the connection, and a read that does not mind the plan settings takes either read
     * session as it is (lookups by key, such as every request's API key, would otherwise switch a connection back and
     * forth between a list's or the graph's reads); a write puts the server's defaults back before it starts, outside
     * its transaction (a SET inside one is undone when it rolls back).
     */
    private enum Session { DEFAULTS, READS, INDEX_READS }

    private final Map<PGConnection, Session> sessions = Collections.synchronizedMap(new WeakHashMap<>());

    /** Sets the session for {@code wanted}, or for any read when it is null. */
    private void session(Connection c, Session wanted) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        Session now = sessions.getOrDefault(pg, Session.DEFAULTS);
        if (now == wanted || wanted == null && now != Session.DEFAULTS) {
            return;
        }
        Session target = wanted == null ? Session.READS : wanted;
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            // one round trip for all settings: a simple statement may hold several
            s.execute(switch (target) {
                case DEFAULTS -> "RESET statement_timeout; RESET plan_cache_mode; RESET enable_seqscan";
                case READS -> "SET statement_timeout = " + readTimeout.toMillis()
                        + "; RESET plan_cache_mode; RESET enable_seqscan";
                case INDEX_READS -> "SET statement_timeout = " + readTimeout.toMillis()
                        + "; SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off";
            });
        }
        sessions.put(pg, target);
    }

    private static void cancel(PGConnection connection) {
        try {
            connection.cancelQuery();
        } catch (SQLException e) {
            // the read then runs to its statement_timeout, as it would without a watch
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
        if (unreachable(e)) {
            // a transaction that lost its connection before COMMIT is rolled back by the database; one cut off
            // during COMMIT may have been applied, which is why the message does not promise otherwise
            return new UnavailableException("the database cannot be reached or is restarting; retry the request",
                    e);
        }
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }

    /** Whether {@code e} says the database is gone or going rather than the statement wrong. */
    private static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith(CONNECTION_EXCEPTION_CLASS) || DATABASE_UNAVAILABLE.contains(state)));
    }

    /**
     * Whether {@code failure} or one of its causes says the database cannot be reached or is restarting: such an
     * error of a statement, or a broken or refused socket under one.
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && unreachable(e)
                    || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
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

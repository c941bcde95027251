package io.dartmart.domain.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dartmart.domain.error.UnavailableException;
import io.dartmart.domain.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reads set their bounds on the session of the connection they borrow and writes put the server's defaults back,
 * whatever ran on the connection before: one pooled connection serves reads and writes in turn here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbSessionTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(300);

    private HikariDataSource pool;
    private Db db;

    @BeforeAll
    void start() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.jdbcUrl());
        config.setMaximumPoolSize(1);
        pool = new HikariDataSource(config);
        db = new Db(pool, READ_TIMEOUT, ReadWatch.NONE);
    }

    @AfterAll
    void stop() {
        pool.close();
    }

    private static String show(java.sql.Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Void sleepTwiceTheReadTimeout(java.sql.Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(" + READ_TIMEOUT.multipliedBy(2).toMillis() / 1000.0 + ")");
        }
        return null;
    }

    @Test
    void aWriteAfterAReadIsNotBoundedByTheReadsTimeoutAndAReadAfterAWriteIs() {
        db.read(c -> show(c, "statement_timeout"));
        db.tx(DbSessionTest::sleepTwiceTheReadTimeout);
        assertThrows(UnavailableException.class, () -> db.read(DbSessionTest::sleepTwiceTheReadTimeout));
        db.tx(DbSessionTest::sleepTwiceTheReadTimeout);
    }

    @Test
    void eachKindOfWorkFindsItsSettingsWhateverRanBefore() {
        for (int round = 0; round < 2; round++) {
            assertEquals("force_generic_plan", db.readByIndexes(c -> show(c, "plan_cache_mode")));
            assertEquals("auto", db.readWithCustomPlans(c -> show(c, "plan_cache_mode")));
            assertEquals("on", db.readWithCustomPlans(c -> show(c, "enable_seqscan")));
            assertEquals("off", db.readByIndexes(c -> show(c, "enable_seqscan")));
            assertEquals("300ms", db.readWithCustomPlans(c -> show(c, "statement_timeout")));
            assertEquals("force_generic_plan", db.readByIndexes(c -> show(c, "plan_cache_mode")));
            // a read that does not mind the plans takes the read session it finds, and is bounded in any
            assertEquals("force_generic_plan", db.read(c -> show(c, "plan_cache_mode")));
            assertEquals("300ms", db.read(c -> show(c, "statement_timeout")));
            assertEquals("auto", db.tx(c -> show(c, "plan_cache_mode")));
            assertEquals("on", db.tx(c -> show(c, "enable_seqscan")));
            assertEquals("0", db.tx(c -> show(c, "statement_timeout")));
            assertEquals("300ms", db.read(c -> show(c, "statement_timeout")));
            assertEquals("auto", db.read(c -> show(c, "plan_cache_mode")));
        }
    }

    private static String now(java.sql.Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()::text, pg_sleep(0.01)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aReadsStatementsRunEachOnItsOwn() {
        // no transaction holds them together (it would cost a BEGIN and a COMMIT): each has its own now()
        String[] times = db.read(c -> new String[]{now(c), now(c)});
        assertNotEquals(times[0], times[1]);
        String[] inTransaction = db.tx(c -> new String[]{now(c), now(c)});
        assertEquals(inTransaction[0], inTransaction[1]);
    }
}

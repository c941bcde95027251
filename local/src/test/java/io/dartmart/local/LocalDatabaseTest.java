package io.dartmart.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode's database survives the crash of its JVM: the postmaster a killed JVM left running is found and stopped,
 * a live one is left alone, a stale pid file does not stop the start, and what was committed is there afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalDatabaseTest {
    static final String PASSWORD = "local-database-test";
    @TempDir
    Path data;

    @Test
    void theDatabaseOfAKilledJvmIsStoppedAndStartedAgainWithItsCommittedData() throws Exception {
        long leftover;
        try (JvmProcess holder = JvmProcess.start(LocalDatabaseHolder.class, Map.of(), data.toString(), "row-1")) {
            holder.awaitLine("ready", Duration.ofSeconds(60));
            assertThrows(IllegalStateException.class, () -> new LocalDatabase(data, PASSWORD).start(),
                    "a live local mode's database is not taken over");
            assertTrue(LocalDatabase.postmaster(data.resolve("postgres")).isPresent(), "and it still runs");
            holder.kill();
            leftover = LocalDatabase.postmaster(data.resolve("postgres")).orElseThrow(
                    () -> new AssertionError("the killed JVM left its postmaster running")).pid();
        }
        try (LocalDatabase again = new LocalDatabase(data, PASSWORD).start()) {
            assertFalse(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false),
                    "the leftover postmaster was stopped");
            try (Connection c = DriverManager.getConnection(again.jdbcUrl(), "postgres", PASSWORD)) {
                assertEquals("row-1", one(c, "SELECT id FROM acknowledged"), "a committed row survives the crash");
                assertEquals("on", one(c, "SHOW fsync"));
                assertEquals("on", one(c, "SHOW synchronous_commit"));
                assertEquals("on", one(c, "SHOW full_page_writes"));
            }
        }
        assertTrue(LocalDatabase.postmaster(data.resolve("postgres")).isEmpty(), "closing stops the database");
    }

    @Test
    void aStalePidFileDoesNotStopTheStart() throws Exception {
        new LocalDatabase(data, PASSWORD).start().close();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(data.resolve("postgres/postmaster.pid"), gone.pid() + "\n" + data.resolve("postgres")
                + "\n1\n5432\n");
        try (LocalDatabase again = new LocalDatabase(data, PASSWORD).start();
             Connection c = DriverManager.getConnection(again.jdbcUrl(), "postgres", PASSWORD)) {
            assertEquals("1", one(c, "SELECT 1"));
        }
    }

    @Test
    void closingWhileStartingStopsTheDatabaseOnceItIsUp() throws Exception {
        LocalDatabase database = new LocalDatabase(data, PASSWORD);
        Thread starter = new Thread(() -> {
            try {
                database.start();
            } catch (Exception ignored) {
                // the test looks at what runs afterwards
            }
        });
        starter.start();
        Thread.sleep(200);
        database.close();
        starter.join(60_000);
        assertTrue(LocalDatabase.postmaster(data.resolve("postgres")).isEmpty(), "nothing is left running");
    }

    @Test
    void dataDirectoryProblemsAreOneClearLine() throws Exception {
        Path file = Files.writeString(data.resolve("a-file"), "x");
        assertEquals("--data-dir " + file + " is a file, not a directory", LocalMain.dataDirProblem(file));
        String under = LocalMain.dataDirProblem(file.resolve("sub"));
        assertNotNull(under);
        assertTrue(under.startsWith("cannot create the data directory " + file.resolve("sub") + ": "), under);
        assertFalse(under.contains("\n"), under);
        assertNull(LocalMain.dataDirProblem(data.resolve("new/dir")), "a missing directory is made");
        assertTrue(Files.isDirectory(data.resolve("new/dir")));
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

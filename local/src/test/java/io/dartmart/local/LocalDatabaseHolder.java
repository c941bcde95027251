package io.dartmart.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A JVM that starts local mode's database on a data directory, writes a row, says {@code ready} and waits to be
 * killed: the crash {@link LocalDatabaseTest} recovers from.
 */
public final class LocalDatabaseHolder {
    private LocalDatabaseHolder() {
    }

    public static void main(String[] args) throws Exception {
        LocalDatabase database = new LocalDatabase(Path.of(args[0]), LocalDatabaseTest.PASSWORD).start();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), "postgres",
                LocalDatabaseTest.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acknowledged (id text PRIMARY KEY)");
            s.execute("INSERT INTO acknowledged VALUES ('" + args[1] + "')");
        }
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}

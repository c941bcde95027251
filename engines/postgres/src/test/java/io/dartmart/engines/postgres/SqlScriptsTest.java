package io.dartmart.engines.postgres;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.dartmart.engines.postgres.TestWarehouse.rows;
import static io.dartmart.engines.postgres.TestWarehouse.unique;
import static io.dartmart.engines.postgres.TestWarehouse.warehouse;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** execute_sql and data_check against the embedded PostgreSQL. */
class SqlScriptsTest {
    private final String table = "\"" + unique("t") + "\"";

    @Test
    void aScriptsStatementsRunInOneTransaction() throws Exception {
        assertEquals(2, SqlScripts.execute(warehouse(), "CREATE TABLE " + table + " (v text);\n"
                + "INSERT INTO " + table + " VALUES ('a; b'), ($$c;$$);", null));
        assertEquals(List.of("a; b", "c;"), rows("SELECT v FROM " + table + " ORDER BY v"));

        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> SqlScripts.execute(warehouse(),
                "INSERT INTO " + table + " VALUES ('d'); INSERT INTO " + table + " VALUES (1/0)", null));
        assertTrue(failed.getMessage().startsWith("execute_sql failed, nothing was changed: division by zero"),
                failed.getMessage());
        assertEquals(List.of("a; b", "c;"), rows("SELECT v FROM " + table + " ORDER BY v"), "the first insert too was undone");
    }

    @Test
    void aStatementRunningPastTheTimeoutIsCancelled() {
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> SqlScripts.execute(warehouse(), "SELECT pg_sleep(5)", Duration.ofSeconds(1)));
        assertTrue(failed.getMessage().contains("canceling statement due to statement timeout"), failed.getMessage());
    }

    @Test
    void aDataCheckPassesOnTrueOnlyAndSaysWhatTheQueryGave() {
        assertDoesNotThrow(() -> SqlScripts.check(warehouse(), "SELECT 1 < 2, 'ignored'", null));
        assertEquals("data_check failed: the query SELECT count(*) > 5 FROM generate_series(1, 3) gave false, not true",
                assertThrows(IllegalStateException.class, () -> SqlScripts.check(warehouse(),
                        "SELECT count(*) > 5 FROM generate_series(1, 3)", null)).getMessage());
        assertEquals("data_check failed: the query SELECT true WHERE false gave no rows, not true",
                assertThrows(IllegalStateException.class, () -> SqlScripts.check(warehouse(),
                        "SELECT true WHERE false", null)).getMessage());
        assertEquals("data_check failed: the query SELECT NULL::boolean gave NULL, not true",
                assertThrows(IllegalStateException.class, () -> SqlScripts.check(warehouse(),
                        "SELECT NULL::boolean", null)).getMessage());
        assertEquals("data_check failed: the query SELECT 1 gave '1', not a boolean, not true",
                assertThrows(IllegalStateException.class, () -> SqlScripts.check(warehouse(), "SELECT 1", null))
                        .getMessage());
    }

    @Test
    void aDataCheckCannotWrite() {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> SqlScripts.check(warehouse(),
                "CREATE TABLE " + table + " (v int); SELECT true", null));
        assertTrue(failed.getMessage().contains("cannot execute CREATE TABLE in a read-only transaction"),
                failed.getMessage());
    }

    @Test
    void theConnectionFailureNamesWhereButNeverThePassword() {
        Warehouse nowhere = Warehouse.of(TestWarehouse.json("""
                {"host": "127.0.0.1", "port": 1, "database": "w", "user": "u", "password": "pa55-w0rd-secret"}"""));
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> SqlScripts.execute(nowhere, "SELECT 1", null));
        assertTrue(failed.getMessage().startsWith("connecting to 127.0.0.1:1/w failed: "), failed.getMessage());
        assertTrue(!failed.getMessage().contains("pa55") && !nowhere.toString().contains("pa55"), failed.getMessage());
    }
}

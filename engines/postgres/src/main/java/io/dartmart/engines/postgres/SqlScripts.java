package io.dartmart.engines.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** The {@code execute_sql} and {@code data_check} actions: the user's own SQL, run as given. */
final class SqlScripts {
    private static final int SHOWN_SQL_CHARS = 500;

    private SqlScripts() {
    }

    /**
     * Runs every statement of {@code script} in one transaction and commits; on any failure nothing is kept.
     *
     * @return the rows the statements changed, summed
     * @throws IllegalStateException with the server's message when a statement fails
     */
    static long execute(Warehouse warehouse, String script, Duration timeout) {
        Connection c = warehouse.connect(false, timeout);
        try (c; Statement s = c.createStatement()) {
            long changed = 0;
            boolean isResult = s.execute(script);
            while (true) {
                if (!isResult) {
                    long count = s.getLargeUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    changed += count;
                }
                isResult = s.getMoreResults();
            }
            c.commit();
            return changed;
        } catch (SQLException e) {
            throw new IllegalStateException("execute_sql failed, nothing was changed: " + Failures.message(e), e);
        }
    }

    /**
     * Runs {@code query} in a read-only transaction and passes when the first column of its first row is true.
     *
     * @throws IllegalStateException saying the query and what it gave, when it gave anything else or failed
     */
    static void check(Warehouse warehouse, String query, Duration timeout) {
        Connection c = warehouse.connect(true, timeout);
        String gave;
        try (c; Statement s = c.createStatement()) {
            boolean isResult = s.execute(query);
            while (!isResult && s.getLargeUpdateCount() != -1) {
                isResult = s.getMoreResults();
            }
            if (!isResult) {
                gave = "no rows (it is not a query)";
            } else {
                try (ResultSet r = s.getResultSet()) {
                    if (!r.next()) {
                        gave = "no rows";
                    } else {
                        Object first = r.getObject(1);
                        if (Boolean.TRUE.equals(first)) {
                            return;
                        }
                        gave = first == null ? "NULL" : first instanceof Boolean ? first.toString()
                                : "'" + first + "', not a boolean";
                    }
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException("data_check failed: the query " + shown(query) + " failed: "
                    + Failures.message(e), e);
        }
        throw new IllegalStateException("data_check failed: the query " + shown(query) + " gave " + gave
                + ", not true");
    }

    private static String shown(String sql) {
        String s = sql.strip();
        return s.length() <= SHOWN_SQL_CHARS ? s : s.substring(0, SHOWN_SQL_CHARS) + "...";
    }
}

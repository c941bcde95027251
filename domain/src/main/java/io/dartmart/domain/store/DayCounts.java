package io.dartmart.domain.store;

import io.dartmart.domain.filter.Ordering;
import io.dartmart.domain.filter.SqlFragment;
import io.dartmart.domain.model.EntityType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * How many rows of the tables that grow with history each UTC day of {@code created} holds: the {@code rows_by_day}
 * ledger, which V76's triggers append to in the writers' own transactions. It lets an unfiltered page in the created
 * order start at the day its offset falls in (a page at offset 500,000 of a million actions walked 500,000 index
 * entries, about 30 ms of CPU; from its day it walks at most that day's rows) and an unfiltered list's total be exact
 * without counting.
 */
public final class DayCounts {
    /** The tables V76 puts triggers on; a table not here is never read through the ledger. */
    static final Set<EntityType> COUNTED = Set.of(EntityType.ACTION, EntityType.WORKFLOW_INSTANCE);
    /** Below this offset walking the index costs under a millisecond, less than summing a year of days. */
    static final int FROM_OFFSET = 10_000;

    private DayCounts() {
    }

    /**
     * Where a page starts when its offset is deep enough to start at its day: a {@code WITH} clause naming
     * {@code start} (the day, and how many rows come before it in the asked direction), a condition that keeps the
     * rows from that day on, and the offset left to walk within it, with one placeholder for the page's offset.
     * Without any day counted (the ledger not filled), the page walks from the first row as before.
     */
    record Skip(SqlFragment with, String condition, String offset) {
    }

    /** Whether the rows of this listing are the ones counted: all of a counted table's, unfiltered. */
    private static boolean counted(EntityType type, ListQuery query) {
        return COUNTED.contains(type) && query.filters().isEmpty();
    }

    /** The skip for this page, or null when it walks the index from the first row. */
    static Skip skip(EntityType type, ListQuery query, Ordering ordering) {
        int offset = query.offset();
        if (offset < FROM_OFFSET || !counted(type, query) || !ordering.byCreated()) {
            return null;
        }
        // "skipped" is how many rows come before the start day in the page's direction; the start day is the last
        // one (in that direction) whose skipped rows do not pass the offset
        boolean desc = ordering.descending();
        String direction = desc ? " DESC" : "";
        String with = "WITH days AS (SELECT day, sum(delta) AS n FROM rows_by_day WHERE table_name = ? GROUP BY day),"
                + " start AS (SELECT day, skipped FROM (SELECT day, sum(n) OVER (ORDER BY day" + direction
                + ") - n AS skipped FROM days) d WHERE skipped <= ? ORDER BY day" + (desc ? "" : " DESC") + " LIMIT 1) ";
        String condition = desc
                ? "created < coalesce((SELECT day FROM start) + interval '1 day', 'infinity')"
                : "created >= coalesce((SELECT day FROM start), '-infinity')";
        return new Skip(new SqlFragment(with, List.of(type.table(), offset)), condition,
                "greatest(0, ? - coalesce((SELECT skipped FROM start), 0))");
    }

    /** The exact number of rows of an unfiltered list, or -1 when its table is not counted by day. */
    static long total(Connection c, EntityType type, ListQuery query) throws SQLException {
        if (!counted(type, query)) {
            return -1;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(delta), 0) FROM rows_by_day"
                + " WHERE table_name = ?")) {
            ps.setString(1, type.table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Sums each day's rows into one, so that reading the counts stays a read of a few hundred rows a year: every
     * insert statement appends a row. Answers how many days it summed. Safe beside another copy doing the same: each
     * sums only the rows its own delete removed, and a reader sees the rows before or after, never half.
     */
    public static int fold(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("WITH gone AS (DELETE FROM rows_by_day r USING (SELECT table_name, day FROM"
                    + " rows_by_day GROUP BY table_name, day HAVING count(*) > 1) m WHERE r.table_name = m.table_name"
                    + " AND r.day = m.day RETURNING r.table_name, r.day, r.delta) INSERT INTO rows_by_day (table_name,"
                    + " day, delta) SELECT table_name, day, sum(delta) FROM gone GROUP BY table_name, day"
                    + " HAVING sum(delta) <> 0");
        }
    }
}

package io.dartmart.domain.store;

import io.dartmart.domain.filter.OrderBy;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.testing.TestDatabase;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows counted by day (V76 and {@link DayCounts}) on a real PostgreSQL: they follow every kind of write, folding
 * them loses nothing written beside it, and a deep page by offset answers exactly what a walk from the first row does,
 * in both directions of the created order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DayCountsTest {
    private static final List<OrderBy> ASCENDING = List.of();
    private static final List<OrderBy> DESCENDING = List.of(new OrderBy(List.of("created"), true));

    private ApplicationContext context;
    private Db db;
    private EntityStore store;
    private String prefix;

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.put("flyway.datasources.default.enabled", true);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        db = context.getBean(Db.class);
        store = context.getBean(EntityStore.class);
        prefix = "dc-" + Ids.newToken(8) + "-";
        // 15,000 actions over 30 days, twelve to an instant (the id orders ties), some right at midnight: more than
        // the offset that starts at a day
        execute("INSERT INTO action (id, version_id, created, updated, data) SELECT ? || g, 1,"
                + " date_trunc('day', now(), 'UTC') - interval '30 days' + (g / 12) * interval '34 minutes',"
                + " now(), jsonb_build_object('name', 'dc', 'state', 'COMPLETED') FROM generate_series(1, 15000) g",
                prefix);
    }

    @AfterAll
    void stop() {
        execute("DELETE FROM action WHERE id LIKE ?", prefix + "%");
        context.close();
    }

    private int execute(String sql, Object... values) {
        return db.tx(c -> update(c, sql, values));
    }

    private static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static List<String> strings(Connection c, String sql, Object... values) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Each day's count as the ledger sums it and as counting the table does. */
    private void assertCountsMatchTheTable() {
        db.read(c -> {
            String byTable = "SELECT date_trunc('day', created, 'UTC') || '=' || count(*) FROM action"
                    + " GROUP BY date_trunc('day', created, 'UTC') ORDER BY 1";
            String byLedger = "SELECT day || '=' || sum(delta) FROM rows_by_day WHERE table_name = 'action'"
                    + " GROUP BY day HAVING sum(delta) <> 0 ORDER BY 1";
            assertEquals(strings(c, byTable), strings(c, byLedger));
            return null;
        });
    }

    private static List<String> ids(List<Entity> page) {
        return page.stream().map(Entity::id).toList();
    }

    /** The page as a walk of every row from the first one finds it. */
    private static List<String> walked(Connection c, boolean descending, int offset) throws SQLException {
        return strings(c, "SELECT id FROM action ORDER BY created" + (descending ? " DESC" : "") + ", id LIMIT 20"
                + " OFFSET ?", offset);
    }

    private void assertDeepPagesMatchAWalk() {
        db.read(c -> {
            int total = Integer.parseInt(strings(c, "SELECT count(*) FROM action").get(0));
            for (boolean descending : new boolean[]{false, true}) {
                for (int offset : new int[]{DayCounts.FROM_OFFSET, DayCounts.FROM_OFFSET + 1, 12_345, 12_347,
                        total - 5, total, total + 7}) {
                    Page page = store.list(c, EntityType.ACTION, new ListQuery(List.of(),
                            descending ? DESCENDING : ASCENDING, 20, offset));
                    assertEquals(walked(c, descending, offset), ids(page.items()),
                            (descending ? "created DESC" : "created") + " at offset " + offset);
                    assertEquals(total, page.total());
                    assertEquals(Page.TotalKind.EXACT, page.totalKind());
                }
            }
            return null;
        });
    }

    @Test
    void aDeepPageByOffsetIsWhatAWalkFromTheFirstRowFinds() {
        assertCountsMatchTheTable();
        assertDeepPagesMatchAWalk();
    }

    @Test
    void aDeepPageStartsAtItsDayAsTheCountsSayAndAShallowOneDoesNot() {
        // five rows too many counted on the first day of the order: a page that starts at its day moves by five, one
        // that walks from the first row does not (wrong counts show, so the day is where the page started)
        for (boolean descending : new boolean[]{false, true}) {
            db.tx(c -> {
                String firstDay = strings(c, "SELECT " + (descending ? "max" : "min") + "(day)::text FROM rows_by_day"
                        + " WHERE table_name = 'action'").get(0);
                update(c, "INSERT INTO rows_by_day (table_name, day, delta) VALUES ('action', ?::timestamptz, 5)",
                        firstDay);
                List<OrderBy> order = descending ? DESCENDING : ASCENDING;
                assertEquals(walked(c, descending, 12_340), ids(store.page(c, EntityType.ACTION,
                        new ListQuery(List.of(), order, 20, 12_345))), descending ? "created DESC" : "created");
                assertEquals(walked(c, descending, 100), ids(store.page(c, EntityType.ACTION,
                        new ListQuery(List.of(), order, 20, 100))), descending ? "created DESC" : "created");
                c.rollback();
                return null;
            });
        }
    }

    @Test
    void countsFollowInsertsDeletesAndMovesAndFoldingLosesNothingWrittenBesideIt() throws Exception {
        execute("DELETE FROM action WHERE id IN (?, ?, ?)", prefix + "7", prefix + "8000", prefix + "14999");
        execute("UPDATE action SET created = created - interval '3 days' WHERE id = ?", prefix + "9000");
        execute("UPDATE action SET created = created + interval '1 second' WHERE id = ?", prefix + "9001");
        execute("INSERT INTO action (id, version_id, created, updated, data) VALUES (?, 1, now() - interval '40 days',"
                + " now(), '{}')", prefix + "old");
        assertCountsMatchTheTable();

        // rows written by a transaction still open while the counts are folded are counted once it commits
        try (Connection open = DriverManager.getConnection(TestDatabase.jdbcUrl())) {
            open.setAutoCommit(false);
            update(open, "INSERT INTO action (id, version_id, created, updated, data) SELECT ? || g, 1, now(), now(),"
                    + " '{}' FROM generate_series(1, 3) g", prefix + "open-");
            assertTrue(db.tx(DayCounts::fold) > 0);
            open.commit();
        }
        assertCountsMatchTheTable();
        db.tx(DayCounts::fold);
        db.read(c -> {
            assertEquals(List.of(), strings(c, "SELECT table_name || ' ' || day FROM rows_by_day GROUP BY table_name,"
                    + " day HAVING count(*) > 1"), "each day is one row once folded");
            return null;
        });
        assertCountsMatchTheTable();
        assertDeepPagesMatchAWalk();
    }

    @Test
    void theTablesReadThroughTheCountsAreTheOnesWhoseWritesAreCounted() {
        db.read(c -> {
            assertEquals(DayCounts.COUNTED.stream().map(EntityType::table).sorted().toList(), strings(c,
                    "SELECT DISTINCT event_object_table::text FROM information_schema.triggers"
                            + " WHERE action_statement LIKE '%rows_by_day_%' ORDER BY 1"));
            return null;
        });
    }

    @Test
    void emptyingATableEmptiesItsCounts() {
        db.tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE action CASCADE");
            }
            assertEquals(List.of("0"), strings(c, "SELECT count(*) FROM rows_by_day WHERE table_name = 'action'"));
            c.rollback();
            return null;
        });
        assertCountsMatchTheTable();
    }
}

package io.dartmart.domain.filter;

import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterCompilerTest {
    private static final String HOSTILE = "v'); DROP TABLE event; --";

    private static SqlFragment where(EntityType type, String... filters) {
        List<Filter> parsed = Arrays.stream(filters).map(FilterParser::parseFilter).toList();
        return new FilterCompiler(type).where(parsed);
    }

    private static long placeholders(String sql) {
        return sql.chars().filter(ch -> ch == '?').count();
    }

    private static String migration() {
        try (InputStream in = FilterCompilerTest.class.getResourceAsStream("/db/migration/V1__entities.sql")) {
            assertNotNull(in, "the migration is on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The CREATE TABLE statement of one entity table, exactly as the migration has it. */
    private static String createTable(String table) {
        Matcher m = Pattern.compile("(?s)CREATE TABLE " + table + " \\(.*?\\n\\);").matcher(migration());
        assertTrue(m.find(), "the migration creates table " + table);
        return m.group();
    }

    // ---- the SQL text: values and non-column keys only ever travel as parameters ----

    @Test
    void sqlTextNeverContainsTheValueOrAJsonPath() {
        for (Operator op : Operator.values()) {
            SqlFragment f = new FilterCompiler(EntityType.EVENT)
                    .where(List.of(new Filter(List.of("args", "secret_key"), op, HOSTILE)));
            String sql = f.sql();
            assertFalse(sql.contains("secret_key") || sql.contains("args"), op + ": " + sql);
            assertFalse(sql.contains("DROP") || sql.contains("v'"), op + ": " + sql);
            assertEquals(placeholders(sql), f.params().size(), op + ": one parameter per placeholder");
            assertTrue(f.params().stream().anyMatch(p -> p instanceof String[] a
                    && Arrays.equals(a, new String[]{"args", "secret_key"})), op + ": the path is a parameter");
            if (op != Operator.IN) {
                assertTrue(f.params().stream().anyMatch(p -> p instanceof String v && v.contains(HOSTILE)),
                        op + ": the value is a parameter");
            }
        }
    }

    @Test
    void numericLookingValuesAlsoStayOutOfTheSql() {
        for (Operator op : Operator.values()) {
            SqlFragment f = where(EntityType.EVENT, "args.n " + op.symbol() + " 123456");
            assertFalse(f.sql().contains("123456"), op + ": " + f.sql());
            assertEquals(placeholders(f.sql()), f.params().size(), op.symbol());
        }
    }

    @Test
    void inSplitsOnCommasAndTrimsEachValue() {
        SqlFragment f = where(EntityType.EVENT, "args.x IN a, b c ,d");
        assertArrayEquals(new String[]{"a", "b c", "d"}, (String[]) f.params().get(f.params().size() - 1));
    }

    @Test
    void topLevelKeyThatIsNoColumnIsAlsoAParameter() {
        SqlFragment f = where(EntityType.EVENT, "workflow_id = x");
        assertFalse(f.sql().contains("workflow_id"), f.sql());
        SqlFragment order = new FilterCompiler(EntityType.EVENT)
                .orderBy(List.of(new OrderBy(List.of("description"), false)));
        assertFalse(order.sql().contains("description"), order.sql());
        assertArrayEquals(new String[]{"description"}, (String[]) order.params().get(0));
    }

    @Test
    void generatedColumnKeysUseTheColumnSoTheIndexApplies() {
        SqlFragment f = where(EntityType.ACTION, "state = QUEUED");
        assertEquals("(state = ?)", f.sql());
        assertEquals(List.of("QUEUED"), f.params());
        assertEquals("(workflow_id = ?)", where(EntityType.ACTION, "workflow_id = W1").sql());
        assertEquals("(id = ?)", where(EntityType.EVENT, "id = X").sql());
        assertFalse(where(EntityType.ACTION, "args.state = QUEUED").sql().startsWith("(state"),
                "only a top-level key is the column");
        SqlFragment order = new FilterCompiler(EntityType.ACTION).orderBy(List.of(new OrderBy(List.of("state"), true)));
        assertEquals("state DESC NULLS LAST, id ASC", order.sql());
        assertEquals(List.of(), order.params());
    }

    @Test
    void everyGeneratedColumnExistsInTheMigrationAndMirrorsItsDataField() {
        // the compiler trusts that column "x" holds data->>'x'; a drift would silently change filter results
        Pattern generated = Pattern.compile("(\\w+) text GENERATED ALWAYS AS \\(data ->> '(\\w+)'\\) STORED");
        for (EntityType type : EntityType.values()) {
            Set<String> columns = new LinkedHashSet<>();
            Matcher m = generated.matcher(createTable(type.table()));
            while (m.find()) {
                assertEquals(m.group(1), m.group(2), type + ": column " + m.group(1));
                columns.add(m.group(1));
            }
            assertEquals(Set.copyOf(type.generatedColumns()), columns, type.toString());
        }
    }

    @Test
    void noFiltersMatchEverything() {
        SqlFragment f = new FilterCompiler(EntityType.EVENT).where(List.of());
        assertEquals("TRUE", f.sql());
        assertEquals(List.of(), f.params());
    }

    @Test
    void severalFiltersAreAndedWithParametersInOrder() {
        SqlFragment f = where(EntityType.EVENT, "state = A", "name = B");
        assertEquals("(state = ?) AND (name = ?)", f.sql());
        assertEquals(List.of("A", "B"), f.params());
    }

    @Test
    void orderingAlwaysEndsWithIdForStablePaging() {
        FilterCompiler c = new FilterCompiler(EntityType.EVENT);
        assertEquals("created ASC, id ASC", c.orderBy(List.of()).sql());
        assertTrue(c.orderBy(List.of(new OrderBy(List.of("args", "n"), true))).sql().endsWith(", id ASC"));
        // a column that is never null has no NULLS clause, so that an index on (created, id) read backwards serves it
        assertEquals("created DESC, id ASC", c.orderBy(List.of(new OrderBy(List.of("created"), true))).sql());
    }

    @Test
    void createdAndUpdatedCompareAsTimestamps() {
        SqlFragment f = where(EntityType.EVENT, "created >= 2026-01-31T10:00:00+02:00");
        assertEquals("(created >= ?)", f.sql());
        assertEquals(OffsetDateTime.parse("2026-01-31T10:00:00+02:00"), f.params().get(0));
        assertEquals("(updated <> ?)", where(EntityType.EVENT, "updated != 2026-01-31T00:00:00Z").sql());
    }

    @Test
    void createdRejectsWhatIsNoTimestamp() {
        for (String bad : List.of("yesterday", "2026-01-31", "2026-01-31T00:00:00", "'; DROP TABLE event; --", "")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> where(EntityType.EVENT, "created > " + bad), bad);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("'" + bad + "' is not an ISO-8601 timestamp"), e.getMessage());
        }
    }

    @Test
    void createdRejectsTextOperators() {
        for (String op : List.of("LIKE", "NOT_LIKE", "~", "IN")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> where(EntityType.EVENT, "created " + op + " 2026-01-31T00:00:00Z"), op);
            assertTrue(e.getMessage().contains("operator " + op + " does not apply to created"), e.getMessage());
        }
    }

    // ---- the same SQL against a real PostgreSQL table built from the migration ----

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgres {
        private static final OffsetDateTime BASE = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        /** id to document; row i (from 1) is created at BASE + i minutes and updated an hour after that. */
        private final Map<String, String> rows = new LinkedHashMap<>();
        private final String schema = "filter_test_" + UUID.randomUUID().toString().replace("-", "");
        private final FilterCompiler compiler = new FilterCompiler(EntityType.EVENT);
        private Connection conn;

        OnPostgres() {
            rows.put("r01", """
                    {"name": "plain", "state": "ACTIVE", "args": {"n": 9, "a": {"b": "x"}}, "tags": ["nightly", "daily"]}""");
            rows.put("r02", """
                    {"name": "a  b", "state": "INACTIVE", "args": {"n": 10, "a": {"b": "y"}}, "tags": ["weekly"]}""");
            rows.put("r03", """
                    {"name": "O'Brien", "args": {"n": 100}, "tags": []}""");
            rows.put("r04", """
                    {"name": "say \\"hi\\"", "args": {"n": 2.5}}""");
            rows.put("r05", """
                    {"name": "C:\\\\temp\\\\new", "args": {"n": "10"}}""");
            rows.put("r06", """
                    {"name": "100% sure", "args": {"n": -3}}""");
            rows.put("r07", """
                    {"name": "1000 sure"}""");
            rows.put("r08", """
                    {"name": "a_c"}""");
            rows.put("r09", """
                    {"name": "abc", "tags": "nightly"}""");
            rows.put("r10", """
                    {"name": "'; DROP TABLE event; --"}""");
            rows.put("r11", """
                    {"name": "Mixed Case"}""");
            rows.put("r12", """
                    {"name": "null n", "args": {"n": null}}""");
        }

        @BeforeAll
        void createTable() throws SQLException {
            conn = DriverManager.getConnection(TestDatabase.jdbcUrl());
            try (Statement s = conn.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                // FilterCompiler's SQL names the table unqualified, as EntityStore does; this connection sees ours
                s.execute("SET search_path TO " + schema);
                s.execute(FilterCompilerTest.createTable(EntityType.EVENT.table()));
            }
            int i = 0;
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + EntityType.EVENT.table()
                    + " (id, version_id, created, updated, data) VALUES (?, 1, ?, ?, ?::jsonb)")) {
                for (Map.Entry<String, String> row : rows.entrySet()) {
                    i++;
                    ps.setString(1, row.getKey());
                    ps.setObject(2, BASE.plusMinutes(i));
                    ps.setObject(3, BASE.plusMinutes(i).plusHours(1));
                    ps.setString(4, row.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        @AfterAll
        void dropSchema() throws SQLException {
            if (conn != null) {
                try (Statement s = conn.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
                conn.close();
            }
        }

        private List<String> select(List<String> filters, List<OrderBy> order) throws SQLException {
            SqlFragment w = compiler.where(filters.stream().map(FilterParser::parseFilter).toList());
            SqlFragment o = compiler.orderBy(order);
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM " + EntityType.EVENT.table()
                    + " WHERE " + w.sql() + " ORDER BY " + o.sql())) {
                int next = EntityStore.bind(conn, ps, w.params(), 1);
                EntityStore.bind(conn, ps, o.params(), next);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        }

        /** Ids matching all the filters, in the default order (created, which is id order here). */
        private List<String> ids(String... filters) throws SQLException {
            return select(List.of(filters), List.of());
        }

        private List<String> allExcept(String... ids) {
            List<String> out = new ArrayList<>(rows.keySet());
            out.removeAll(List.of(ids));
            return out;
        }

        private void expect(String filter, String... ids) throws SQLException {
            assertEquals(List.of(ids), ids(filter), filter);
        }

        @Test
        void equalsMatchesValuesWithSpacesQuotesAndBackslashesExactly() throws SQLException {
            expect("name = a  b", "r02");
            expect("name = a b");
            expect("name = O'Brien", "r03");
            expect("name = say \"hi\"", "r04");
            expect("name = C:\\temp\\new", "r05");
            expect("name = 100% sure", "r06");
            expect("name = a_c", "r08");
        }

        @Test
        void sqlInAValueIsJustText() throws SQLException {
            expect("name = '; DROP TABLE event; --", "r10");
            expect("name LIKE %DROP TABLE%", "r10");
            expect("name ~ ; drop table event; --", "r10");
            expect("name = x' OR '1'='1");
            assertEquals(rows.size(), ids().size(), "the table and every row are still there");
        }

        @Test
        void likeTreatsPercentAndUnderscoreAsWildcards() throws SQLException {
            expect("name LIKE 100%", "r06", "r07");
            expect("name LIKE a_c", "r08", "r09");
            expect("name LIKE %sure", "r06", "r07");
            expect("name LIKE plai");
        }

        @Test
        void containsTreatsPercentAndUnderscoreLiterallyAndIgnoresCase() throws SQLException {
            expect("name ~ 100%", "r06");
            expect("name ~ a_c", "r08");
            expect("name ~ mixed case", "r11");
            expect("name ~ o'b", "r03");
            expect("name ~ \"HI\"", "r04");
            expect("name ~ \\temp\\", "r05");
            expect("name ~ lai", "r01");
        }

        @Test
        void notLikeIncludesRowsWithoutTheKey() throws SQLException {
            assertEquals(allExcept("r06", "r07"), ids("name NOT_LIKE %sure"));
            assertEquals(allExcept("r01"), ids("args.a.b NOT_LIKE x%"));
        }

        @Test
        void notEqualsIncludesRowsWithoutTheKey() throws SQLException {
            assertEquals(allExcept("r01"), ids("name != plain"));
            assertEquals(allExcept("r01"), ids("args.n != 9"));
            assertEquals(allExcept("r01"), ids("state != ACTIVE"), "a NULL generated column is not ACTIVE");
            assertEquals(allExcept("r01"), ids("args.a.b != x"));
            assertEquals(allExcept("r05"), ids("id != r05"));
        }

        @Test
        void numbersCompareNumericallyNotAsText() throws SQLException {
            // as text, "10" and "100" would sort before "9"
            expect("args.n > 9", "r02", "r03");
            expect("args.n >= 10", "r02", "r03");
            expect("args.n < 9", "r04", "r06");
            expect("args.n <= 9", "r01", "r04", "r06");
            expect("args.n > -5", "r01", "r02", "r03", "r04", "r06");
            expect("args.n < 2.6", "r04", "r06");
        }

        @Test
        void numericEqualityIgnoresSpellingOfTheNumber() throws SQLException {
            // "10" matches the number 10 and the string "10"; 10.0 and 1e1 only the number
            expect("args.n = 10", "r02", "r05");
            expect("args.n = 10.0", "r02");
            expect("args.n = 1e1", "r02");
            expect("args.n = 2.50", "r04");
            expect("args.n = -3", "r06");
            assertEquals(allExcept("r02"), ids("args.n != 10.0"));
        }

        @Test
        void inMatchesAnyOfSeveralValues() throws SQLException {
            expect("name IN plain, abc,a_c", "r01", "r08", "r09");
            expect("name IN a  b,O'Brien", "r02", "r03");
            expect("state IN ACTIVE,INACTIVE", "r01", "r02");
            expect("args.a.b IN x,y", "r01", "r02");
            expect("args.n IN 9,100", "r01", "r03");
            expect("id IN r04, r07", "r04", "r07");
            expect("name IN nope,zilch");
        }

        @Test
        void equalsOnAListMatchesAnElement() throws SQLException {
            expect("tags = nightly", "r01", "r09");
            expect("tags = daily", "r01");
            expect("tags = weekly", "r02");
            expect("tags = night");
            assertEquals(allExcept("r01", "r09"), ids("tags != nightly"));
            expect("tags.0 = nightly", "r01");
        }

        @Test
        void nestedPathsReachIntoObjects() throws SQLException {
            expect("args.a.b = x", "r01");
            expect("args.a.b = y", "r02");
            expect("args.a = x");
        }

        @Test
        void generatedColumnsAndIdFilterLikeTheirDataFields() throws SQLException {
            expect("state = ACTIVE", "r01");
            expect("state = INACTIVE", "r02");
            expect("id = r05", "r05");
            expect("name = plain", "r01");
        }

        @Test
        void createdAndUpdatedCompareAsInstantsWhateverTheOffset() throws SQLException {
            expect("created = 2026-01-01T02:03:00+02:00", "r03");
            expect("created <= 2026-01-01T00:02:00Z", "r01", "r02");
            expect("created > 2026-01-01T00:09:00Z", "r10", "r11", "r12");
            assertEquals(allExcept("r03"), ids("created != 2026-01-01T00:03:00Z"));
            expect("updated >= 2026-01-01T01:12:00Z", "r12");
        }

        @Test
        void severalFiltersMustAllHold() throws SQLException {
            assertEquals(List.of("r02"), ids("args.n > 5", "name LIKE a%"));
            assertEquals(List.of(), ids("state = ACTIVE", "args.n > 9"));
            assertEquals(new ArrayList<>(rows.keySet()), ids());
        }

        @Test
        void orderByJsonNumbersIsNumeric() throws SQLException {
            List<OrderBy> asc = FilterParser.parseOrderBy("[\"args.n\"]");
            List<OrderBy> desc = FilterParser.parseOrderBy("[\"args.n DESC\"]");
            // the where clause's parameters come first, the ordering's after them
            assertEquals(List.of("r06", "r04", "r01", "r02", "r03"), select(List.of("args.n > -100"), asc));
            assertEquals(List.of("r03", "r02", "r01", "r04", "r06"), select(List.of("args.n > -100"), desc));
        }

        @Test
        void rowsWithoutTheKeySortLastInBothDirections() throws SQLException {
            List<String> missing = List.of("r07", "r08", "r09", "r10", "r11");
            for (String dir : List.of("ASC", "DESC")) {
                List<String> got = select(List.of("id != r12"), FilterParser.parseOrderBy("[\"args.n " + dir + "\"]"));
                assertEquals(missing, got.subList(got.size() - missing.size(), got.size()), dir + ": " + got);
            }
        }

        @Test
        void explicitJsonNullSortsLikeAMissingKey() throws SQLException {
            List<String> got = select(List.of("id IN r01, r02, r07, r12"), FilterParser.parseOrderBy("[\"args.n\"]"));
            assertEquals(List.of("r01", "r02", "r07", "r12"), got);
        }

        @Test
        void orderByColumnsAndCreated() throws SQLException {
            assertEquals(List.of("r02", "r01"),
                    select(List.of("state IN ACTIVE,INACTIVE"), FilterParser.parseOrderBy("[\"state DESC\"]")));
            List<String> newestFirst = new ArrayList<>(rows.keySet());
            Collections.reverse(newestFirst);
            assertEquals(newestFirst, select(List.of(), FilterParser.parseOrderBy("[\"created DESC\"]")));
            assertEquals(List.of("r12", "r11"), select(List.of("created > 2026-01-01T00:10:00Z"),
                    FilterParser.parseOrderBy("[\"updated desc\"]")));
        }

        @Test
        void upperCaseOperatorsMatchAnyCaseOnlyForContains() throws SQLException {
            expect("name = PLAIN");
            expect("name LIKE PLAIN");
            expect("name ~ PLAIN", "r01");
        }
    }
}

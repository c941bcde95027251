package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.filter.FilterCompiler;
import io.dartmart.domain.filter.OrderBy;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lists page by cursor (`after`) as well as by offset, and say how exact their `total` is. */
@MicronautTest
class ListPagingTest extends ApiTestBase {
    private ApiClient api;
    private String tag;
    private String bulkTag;

    @BeforeAll
    void setUp() throws Exception {
        api = admin();
        tag = "p-" + unique();
        bulkTag = "bulk-" + unique();
        // names repeat and some events have no rank or a null one, so orderings have ties and missing values
        for (int i = 0; i < 23; i++) {
            Map<String, Object> data = new HashMap<>(Map.of("name", "ev" + (i % 4), "state", i % 3 == 0 ? "ACTIVE" : "INACTIVE",
                    "tags", List.of(tag)));
            if (i % 5 != 0) {
                data.put("stats", i % 7 == 0 ? Json.object().putNull("rank") : Json.object().put("rank", i % 6));
            }
            ok(api.post("/api/1/event", body(data)));
        }
        // more events than an exact count reaches, written directly: a thousand API calls would only slow the test
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("INSERT INTO event (id, version_id, created,"
                + " updated, data) SELECT 'bulk-' || ? || '-' || g, 1, now(), now(), jsonb_build_object('name', 'b' || g,"
                + " 'state', 'INACTIVE', 'tags', jsonb_build_array(?::text), 'user_id', 'test') FROM generate_series(1, 1100) g")) {
            ps.setString(1, bulkTag);
            ps.setString(2, bulkTag);
            ps.executeUpdate();
        }
    }

    @AfterAll
    void removeBulk() throws Exception {
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("DELETE FROM event WHERE id LIKE ?")) {
            ps.setString(1, "bulk-" + bulkTag + "-%");
            ps.executeUpdate();
        }
    }

    private JsonNode page(String tagged, String orderBy, String limit, String after, String offset) {
        Map<String, String> q = new HashMap<>(Map.of("filters", Json.write(Json.array().add("tags = " + tagged)),
                "limit", limit));
        if (orderBy != null) {
            q.put("order_by", orderBy);
        }
        if (after != null) {
            q.put("after", after);
        }
        if (offset != null) {
            q.put("offset", offset);
        }
        return ok(api.get("/api/1/event", q)).json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("results").forEach(e -> out.add(e.get("id").asText()));
        return out;
    }

    /** Every id, page by page through the cursor. */
    private List<String> byCursor(String orderBy, int limit) {
        List<String> out = new ArrayList<>();
        String after = null;
        do {
            JsonNode p = page(tag, orderBy, String.valueOf(limit), after, null);
            out.addAll(ids(p));
            after = p.get("cursor").isNull() ? null : p.get("cursor").asText();
        } while (after != null);
        return out;
    }

    @Test
    void cursorPagesConcatenateToTheWholeListInEveryOrdering() {
        for (String orderBy : new String[]{null, "[\"created DESC\"]", "[\"name ASC\"]", "[\"name DESC\", \"created\"]",
                "[\"stats.rank DESC\"]", "[\"stats.rank\", \"state DESC\"]", "[\"updated\"]"}) {
            List<String> whole = ids(page(tag, orderBy, "100", null, null));
            assertEquals(23, whole.size(), orderBy);
            for (int limit : new int[]{3, 23}) {
                assertEquals(whole, byCursor(orderBy, limit), orderBy + " by " + limit);
            }
        }
    }

    @Test
    void cursorPagingWhileRowsAreAddedSkipsNothingAndRepeatsNothing() {
        String live = "live-" + unique();
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            before.add(ok(api.post("/api/1/event", body(Map.of("name", "l" + i, "state", "ACTIVE", "tags", List.of(live)))))
                    .results().get("id").asText());
        }
        for (String orderBy : new String[]{"[\"created\"]", "[\"created DESC\"]"}) {
            List<String> seen = new ArrayList<>();
            Set<String> added = new HashSet<>();
            String after = null;
            do {
                JsonNode p = page(live, orderBy, "3", after, null);
                seen.addAll(ids(p));
                after = p.get("cursor").isNull() ? null : p.get("cursor").asText();
                added.add(ok(api.post("/api/1/event", body(Map.of("name", "added", "state", "ACTIVE",
                        "tags", List.of(live))))).results().get("id").asText());
            } while (after != null);
            assertEquals(seen.size(), new HashSet<>(seen).size(), orderBy + ": nothing twice: " + seen);
            assertTrue(seen.containsAll(before), orderBy + ": every row that was there is seen");
            before.addAll(added);
            if (orderBy.contains("DESC")) {
                assertTrue(added.stream().noneMatch(seen::contains), "rows added before the cursor are not seen");
            }
        }
    }

    @Test
    void totalIsExactWhenCountedOrWhenThePageShowsTheEnd() {
        JsonNode small = page(tag, null, "5", null, null);
        assertEquals(23, small.get("total").asInt());
        assertEquals("exact", small.get("total_kind").asText());
        JsonNode last = page(bulkTag, null, "20", null, "1090");
        assertEquals(1100, last.get("total").asInt());
        assertEquals("exact", last.get("total_kind").asText(), "a short page shows where the matches end");
        assertNull(last.get("cursor").textValue());
        assertEquals("exact", page(bulkTag, null, "2000", null, null).get("total_kind").asText());
    }

    @Test
    void totalPastTheCountIsAnEstimateOrALowerBoundAndSaysSo() {
        for (String offset : new String[]{"0", "500", "5000"}) {
            JsonNode p = page(bulkTag, null, "20", null, offset);
            assertNotEquals("exact", p.get("total_kind").asText(), "offset " + offset);
            assertTrue(Set.of("estimate", "lower_bound").contains(p.get("total_kind").asText()));
            if (!offset.equals("5000")) {
                assertTrue(p.get("total").asLong() >= 1000, p.toString());
                assertEquals(20, p.get("results").size());
            }
        }
    }

    @Test
    void aFilterThePlannerExpectsToMatchTensOfThousandsIsNotCountedAndPagesAlike() throws Exception {
        String wide = "wide-" + unique();
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("INSERT INTO event (id, version_id,"
                + " created, updated, data) SELECT ? || '-' || g, 1, now(), now(), jsonb_build_object('name', ? || '-' || g,"
                + " 'state', 'INACTIVE', 'tags', '[]'::jsonb, 'user_id', 'test') FROM generate_series(1, 12000) g")) {
            ps.setString(1, wide);
            ps.setString(2, wide.toUpperCase(java.util.Locale.ROOT));
            ps.executeUpdate();
            c.createStatement().execute("ANALYZE event");
        }
        try {
            Map<String, String> q = new HashMap<>(Map.of("filters", Json.write(Json.array().add("name ~ " + wide)),
                    "limit", "20"));
            JsonNode first = ok(api.get("/api/1/event", q)).json();
            assertEquals("estimate", first.get("total_kind").asText(), first.get("total").toString());
            assertTrue(first.get("total").asLong() >= 10_000, first.get("total").toString());
            List<String> firstIds = ids(first);
            assertEquals(20, firstIds.size());
            firstIds.forEach(id -> assertTrue(id.startsWith(wide + "-"), id));
            // the same matches in the same order whether reached by offset or by cursor
            q.put("limit", "60");
            List<String> sixty = ids(ok(api.get("/api/1/event", q)).json());
            q.put("limit", "20");
            q.put("offset", "40");
            assertEquals(sixty.subList(40, 60), ids(ok(api.get("/api/1/event", q)).json()));
            q.remove("offset");
            q.put("after", ok(api.get("/api/1/event", new HashMap<>(Map.of("filters", q.get("filters"),
                    "limit", "40")))).json().get("cursor").asText());
            assertEquals(sixty.subList(40, 60), ids(ok(api.get("/api/1/event", q)).json()));
        } finally {
            try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("DELETE FROM event WHERE id LIKE ?")) {
                ps.setString(1, wide + "-%");
                ps.executeUpdate();
            }
        }
    }

    @Test
    void aCursorIsCheckedAndNotMixedWithOffset() {
        String cursor = page(tag, "[\"created DESC\"]", "2", null, null).get("cursor").asText();
        var q = Map.of("filters", Json.write(Json.array().add("tags = " + tag)));
        assertTrue(error(400, api.get("/api/1/event", merge(q, "after", cursor, "offset", "2", "order_by",
                "[\"created DESC\"]"))).contains("offset"));
        assertTrue(error(400, api.get("/api/1/event", merge(q, "after", cursor, "order_by", "[\"name\"]")))
                .contains("order_by"));
        assertTrue(error(400, api.get("/api/1/event", merge(q, "after", "not-a-cursor", "order_by", "[\"name\"]")))
                .startsWith("after"));
    }

    /**
     * The orderings the UI's tables of actions and runs offer by their dates and names are walked in an index, not
     * sorted: with sorting priced out, a page's plan holds no Sort over the rows (an Incremental Sort of the ties of
     * one value is allowed), whatever the table's size, which this small test table cannot show by timing.
     */
    @Test
    void theUisOrderingsOfActionsAndRunsAreServedByAnIndex() throws Exception {
        Map<String, List<String>> offered = Map.of(
                "action", List.of("created ASC", "created DESC", "updated ASC", "updated DESC", "name ASC", "name DESC"),
                "workflow_instance", List.of("created ASC", "created DESC", "updated ASC", "updated DESC"));
        try (Connection c = jdbc(); var s = c.createStatement()) {
            s.execute("SET enable_sort = off");
            for (var table : offered.entrySet()) {
                for (String order : table.getValue()) {
                    String[] parts = order.split(" ");
                    var ordering = new FilterCompiler(EntityType.fromWireName(table.getKey()).orElseThrow())
                            .orderBy(List.of(new OrderBy(List.of(parts[0]), parts[1].equals("DESC"))));
                    StringBuilder plan = new StringBuilder();
                    try (var rs = s.executeQuery("EXPLAIN SELECT id FROM " + table.getKey() + " ORDER BY "
                            + ordering.sql() + " LIMIT 21")) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                    assertTrue(plan.toString().lines().map(l -> l.trim().replaceFirst("^->\\s+", ""))
                                    .noneMatch(node -> node.startsWith("Sort  (")),
                            table.getKey() + " by " + order + " is sorted, not walked in an index:\n" + plan);
                }
            }
        }
    }

    private static Map<String, String> merge(Map<String, String> q, String... more) {
        Map<String, String> out = new HashMap<>(q);
        for (int i = 0; i < more.length; i += 2) {
            out.put(more[i], more[i + 1]);
        }
        return out;
    }
}

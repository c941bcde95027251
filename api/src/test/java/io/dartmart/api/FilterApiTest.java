package io.dartmart.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filters language over HTTP: every operator, hostile values, paging and ordering. */
@MicronautTest
class FilterApiTest extends ApiTestBase {
    private ApiClient api;
    private String tag;

    @BeforeAll
    void setUp() {
        api = admin();
        tag = "f-" + unique();
        event("plain", 1, "ACTIVE");
        event("with space", 2, "ACTIVE");
        event("O'Brien \"quoted\"", 10, "INACTIVE");
        event("100% pure_fun", 20, "INACTIVE");
        event("x'; DROP TABLE event; --", 3, "ACTIVE");
        event("back\\slash", 4, "INACTIVE");
    }

    /** Rank lives in a nested document, to test dotted paths and numeric comparison. */
    private void event(String name, int rank, String state) {
        ok(api.post("/api/1/event", body(Map.of("name", name, "state", state, "tags", List.of(tag),
                "stats", Map.of("rank", rank, "nested", Map.of("k", name))))));
    }

    private TreeSet<String> names(String... filters) {
        var array = Json.array().add("tags = " + tag);
        for (String f : filters) {
            array.add(f);
        }
        JsonNode page = ok(api.get("/api/1/event", Map.of("filters", Json.write(array), "limit", "100"))).json();
        TreeSet<String> out = new TreeSet<>();
        page.get("results").forEach(e -> out.add(e.path("data").path("name").asText()));
        assertEquals(out.size(), page.get("total").asInt());
        return out;
    }

    private static TreeSet<String> set(String... names) {
        return new TreeSet<>(List.of(names));
    }

    @Test
    void equalityWithHostileValues() throws Exception {
        assertEquals(set("with space"), names("name = with space"));
        assertEquals(set("O'Brien \"quoted\""), names("name = O'Brien \"quoted\""));
        assertEquals(set("x'; DROP TABLE event; --"), names("name = x'; DROP TABLE event; --"));
        assertEquals(set("back\\slash"), names("name = back\\slash"));
        try (Connection c = jdbc(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM event")) {
            rs.next();
            assertTrue(rs.getLong(1) >= 6, "the event table is still there");
        }
    }

    @Test
    void everyOperator() {
        assertEquals(set("plain", "with space", "x'; DROP TABLE event; --"), names("state = ACTIVE"));
        assertEquals(set("O'Brien \"quoted\"", "100% pure_fun", "back\\slash"), names("state != ACTIVE"));
        assertEquals(set("plain", "with space"), names("stats.rank < 3"));
        assertEquals(set("plain", "with space", "x'; DROP TABLE event; --"), names("stats.rank <= 3"));
        assertEquals(set("100% pure_fun"), names("stats.rank > 10"));
        assertEquals(set("O'Brien \"quoted\"", "100% pure_fun"), names("stats.rank >= 10"));
        assertEquals(set("plain", "back\\slash"), names("name IN plain, back\\slash, nothing"));
        assertEquals(set("plain"), names("name LIKE p%"));
        assertEquals(set("plain", "with space", "100% pure_fun"), names("name LIKE %p%"));
        assertEquals(set("O'Brien \"quoted\"", "x'; DROP TABLE event; --", "back\\slash"),
                names("name NOT_LIKE %p%"));
        assertEquals(set("O'Brien \"quoted\""), names("name ~ o'brien"));
        assertEquals(set("100% pure_fun"), names("name ~ 0% PURE_"), "~ treats % and _ literally");
        assertEquals(set("with space"), names("stats.nested.k = with space"));
        assertEquals(set("plain", "with space", "x'; DROP TABLE event; --", "back\\slash", "O'Brien \"quoted\"",
                "100% pure_fun"), names("stats.missing != anything"));
    }

    @Test
    void timestampsAndIds() {
        JsonNode all = ok(api.get("/api/1/event", Map.of("filters", "[\"tags = " + tag + "\"]",
                "order_by", "[\"created ASC\"]", "limit", "100"))).results();
        String firstCreated = all.get(0).get("created").asText();
        String firstId = all.get(0).get("id").asText();
        assertEquals(5, names("created > " + firstCreated).size());
        assertEquals(set(all.get(0).path("data").path("name").asText()), names("id = " + firstId));
        String msg = error(400, api.get("/api/1/event", Map.of("filters", "[\"created > yesterday\"]")));
        assertTrue(msg.contains("yesterday"), msg);
    }

    @Test
    void orderingIsNumericForNumbersAndPagingIsStable() {
        List<String> ordered = new ArrayList<>();
        for (int offset = 0; ; offset += 2) {
            JsonNode page = ok(api.get("/api/1/event", Map.of("filters", "[\"tags = " + tag + "\"]",
                    "order_by", "[\"stats.rank DESC\"]", "limit", "2", "offset", String.valueOf(offset)))).results();
            if (page.isEmpty()) {
                break;
            }
            page.forEach(e -> ordered.add(e.path("data").path("name").asText()));
        }
        assertEquals(List.of("100% pure_fun", "O'Brien \"quoted\"", "back\\slash", "x'; DROP TABLE event; --",
                "with space", "plain"), ordered);
    }

    @Test
    void badFiltersAreClientErrors() {
        assertTrue(error(400, api.get("/api/1/event", Map.of("filters", "[\"name LIKES x\"]"))).contains("LIKES"));
        assertTrue(error(400, api.get("/api/1/event", Map.of("filters", "name = x"))).contains("JSON array"));
        assertTrue(error(400, api.get("/api/1/event", Map.of("filters", "[\"data->>'x' = 1\"]"))).contains("key"));
        assertTrue(error(400, api.get("/api/1/event", Map.of("order_by", "[\"name SIDEWAYS\"]"))).contains("ASC"));
    }
}

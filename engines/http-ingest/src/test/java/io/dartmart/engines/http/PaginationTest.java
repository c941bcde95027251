package io.dartmart.engines.http;

import org.junit.jupiter.api.Test;

import static io.dartmart.engines.http.TestApi.Answer.ok;
import static io.dartmart.engines.http.TestApi.param;
import static io.dartmart.engines.http.TestIngest.COLUMNS;
import static io.dartmart.engines.http.TestIngest.ids;
import static io.dartmart.engines.http.TestIngest.ingest;
import static io.dartmart.engines.http.TestIngest.items;
import static io.dartmart.engines.http.TestIngest.range;
import static io.dartmart.engines.http.TestIngest.unique;
import static io.dartmart.engines.http.TestIngest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each pagination style against a local API: every page is requested once, in order, and every record loaded. */
class PaginationTest {
    private final String schema = unique("pages");

    private String args(TestApi api, String path, String pagination, String extra) {
        return "{\"url\": \"" + api.url(path) + "\", \"query\": {\"status\": \"open now\"}, \"records_path\": \"$.data\","
                + " \"pagination\": " + pagination + ", \"columns\": " + COLUMNS + ", \"target_schema_name\": \""
                + schema + "\", \"target_table_name\": \"orders\"" + extra + "}";
    }

    private String table() {
        return "\"" + schema + "\".orders";
    }

    @Test
    void aNextLinkInTheBodyIsFollowedRelativeOrAbsoluteUntilItIsNull() throws Exception {
        try (TestApi api = new TestApi((r, i) -> switch (i) {
            case 0 -> ok("{\"data\": " + items(1, 2) + ", \"links\": {\"next\": \"/orders?after=2\"}}");
            case 1 -> ok("{\"data\": " + items(3, 4) + ", \"links\": {\"next\": \"http://" + r.header("Host")
                    + "/orders?after=4\"}}");
            default -> ok("{\"data\": " + items(5, 5) + ", \"links\": {\"next\": null}}");
        })) {
            HttpIngest.Result r = ingest(args(api, "/orders", "{\"type\": \"next_link\", \"next_link_path\":"
                    + " \"$.links.next\"}", ""));
            assertEquals(new HttpIngest.Result(3, 5, 5, false), r);
            assertEquals("open now", param(api.requests.get(0), "status"), "the query goes with the first page");
            assertEquals("4", param(api.requests.get(2), "after"));
            assertEquals(range(1, 5), ids(table()));
            assertEquals(java.util.List.of("1|name-1|0.10"), rows("SELECT * FROM " + table() + " WHERE id = 1"));
        }
    }

    @Test
    void theLinkHeaderGivesTheNextPage() throws Exception {
        try (TestApi api = new TestApi((r, i) -> i < 2
                ? ok("{\"data\": " + items(i * 10 + 1, i * 10 + 3) + "}",
                "Link: </orders?page=" + (i + 2) + "&status=x>; rel=\"next\", </orders?page=9>; rel=\"last\"")
                : ok("{\"data\": " + items(21, 21) + "}", "Link: </orders?page=1>; rel=\"first\""))) {
            assertEquals(3, ingest(args(api, "/orders", "{\"type\": \"link_header\"}", "")).pages());
            assertEquals("3", param(api.requests.get(2), "page"));
            assertEquals(java.util.List.of(1L, 2L, 3L, 11L, 12L, 13L, 21L), ids(table()));
        }
    }

    @Test
    void theLinkHeaderIsReadAsRfc8288Writes() {
        assertEquals("/b?x=1,2", LinkHeader.next(java.util.List.of("</a>; title=\"a, \\\"next\\\"\"; rel=prev, </b?x=1,2>;"
                + " REL=\"prev next\"")));
        assertEquals("https://h/c", LinkHeader.next(java.util.List.of("</a>; rel=\"last\"", "<https://h/c>;rel=next")));
        assertEquals(null, LinkHeader.next(java.util.List.of("</a>; rel=\"nextpage\"", "")));
    }

    @Test
    void pageNumbersCountUpToTheTotalPages() throws Exception {
        try (TestApi api = new TestApi((r, i) -> {
            int page = Integer.parseInt(param(r, "p"));
            return ok("{\"data\": " + items(page * 2 - 1, page * 2) + ", \"meta\": {\"pages\": 3}}");
        })) {
            assertEquals(3, ingest(args(api, "/orders", "{\"type\": \"page_number\", \"page_param\": \"p\","
                    + " \"total_pages_path\": \"$.meta.pages\"}", "")).pages());
            assertEquals(range(1, 6), ids(table()));
            assertEquals("open now", param(api.requests.get(2), "status"));
        }
    }

    @Test
    void pageNumbersWithoutATotalStopAtAnEmptyPage() throws Exception {
        try (TestApi api = new TestApi((r, i) -> ok("{\"data\": " + (param(r, "page").equals("3") ? "[]"
                : items(i * 2 + 1, i * 2 + 2)) + "}"))) {
            assertEquals(new HttpIngest.Result(3, 4, 4, false), ingest(args(api, "/orders",
                    "{\"type\": \"page_number\"}", "")));
            assertEquals("1", param(api.requests.get(0), "page"));
        }
    }

    @Test
    void offsetAndLimitStopAtAShortPage() throws Exception {
        try (TestApi api = new TestApi((r, i) -> {
            int offset = Integer.parseInt(param(r, "offset"));
            int limit = Integer.parseInt(param(r, "limit"));
            return ok("{\"data\": " + items(offset + 1, Math.min(offset + limit, 7)) + "}");
        })) {
            assertEquals(3, ingest(args(api, "/orders", "{\"type\": \"offset\", \"limit\": 3}", "")).pages());
            assertEquals(java.util.List.of("0", "3", "6"), api.requests.stream().map(r -> param(r, "offset")).toList());
            assertEquals(range(1, 7), ids(table()));
        }
    }

    @Test
    void aCursorFromTheBodyIsSentBackUntilThereIsNone() throws Exception {
        try (TestApi api = new TestApi((r, i) -> {
            String cursor = param(r, "next_token");
            int from = cursor == null ? 1 : Integer.parseInt(cursor.substring(1));
            return ok("{\"data\": " + items(from, from + 1) + ", \"meta\": {\"cursor\": "
                    + (from > 4 ? "null" : "\"c" + (from + 2) + "\"") + "}}");
        })) {
            assertEquals(3, ingest(args(api, "/orders", "{\"type\": \"cursor\", \"cursor_path\": \"$.meta.cursor\","
                    + " \"cursor_param\": \"next_token\"}", "")).pages());
            assertEquals("c3", param(api.requests.get(1), "next_token"));
            assertEquals(range(1, 6), ids(table()));
        }
    }

    @Test
    void maxPagesStopsAnEndlessApi() throws Exception {
        try (TestApi api = new TestApi((r, i) -> ok("{\"data\": " + items(i + 1, i + 1) + ", \"next\": \"/more\"}"))) {
            HttpIngest.Result r = ingest(args(api, "/orders", "{\"type\": \"next_link\", \"next_link_path\": \"$.next\","
                    + " \"max_pages\": 4}", ""));
            assertEquals(new HttpIngest.Result(4, 4, 4, true), r);
            assertEquals(4, api.requests.size());
        }
    }

    @Test
    void aNextLinkToAnotherServerIsRefusedAndNothingIsLoaded() throws Exception {
        try (TestApi api = new TestApi((r, i) -> ok("{\"data\": " + items(1, 1)
                + ", \"next\": \"http://collector.example.com/steal\"}"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api, "/orders",
                    "{\"type\": \"next_link\", \"next_link_path\": \"$.next\"}", "")));
            assertTrue(e.getMessage().contains("collector.example.com"), e.getMessage());
            assertEquals(java.util.List.of(), rows("SELECT * FROM pg_tables WHERE schemaname = '" + schema + "'"),
                    "the table made for the load is rolled back too");
        }
    }
}

package io.dartmart.engines.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dartmart.engines.http.TestApi.Answer.ok;
import static io.dartmart.engines.http.TestIngest.COLUMNS;
import static io.dartmart.engines.http.TestIngest.ids;
import static io.dartmart.engines.http.TestIngest.ingest;
import static io.dartmart.engines.http.TestIngest.items;
import static io.dartmart.engines.http.TestIngest.range;
import static io.dartmart.engines.http.TestIngest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries of 429 and 5xx, the rate limit, and the bound on a page's size. */
class RequestsTest {
    private final String schema = unique("req");

    private String args(TestApi api, String extra) {
        return "{\"url\": \"" + api.url("/orders") + "\", \"records_path\": \"$.data\", \"pagination\": {\"type\":"
                + " \"page_number\"}, \"columns\": " + COLUMNS + ", \"target_schema_name\": \"" + schema
                + "\", \"target_table_name\": \"orders\", \"retry_initial_backoff_seconds\": 0.05" + extra + "}";
    }

    private static TestApi.Answer page(TestApi.Request r) {
        int page = Integer.parseInt(TestApi.param(r, "page"));
        return ok("{\"data\": " + (page > 2 ? "[]" : items(page * 2 - 1, page * 2)) + "}");
    }

    private static double millisBetween(TestApi.Request a, TestApi.Request b) {
        return (b.nanos() - a.nanos()) / 1e6;
    }

    @Test
    void a429WaitsAsRetryAfterSaysThenTheSamePageIsAskedAgain() throws Exception {
        try (TestApi api = new TestApi((r, i) -> i == 1
                ? new TestApi.Answer(429, "{\"error\": \"slow down\"}", List.of("Retry-After: 1")) : page(r))) {
            assertEquals(3, ingest(args(api, "")).pages());
            assertEquals(List.of("1", "2", "2", "3"), api.requests.stream().map(r -> TestApi.param(r, "page")).toList());
            assertTrue(millisBetween(api.requests.get(1), api.requests.get(2)) >= 950, "Retry-After: 1 is honoured");
            assertEquals(range(1, 4), ids("\"" + schema + "\".orders"));
        }
    }

    @Test
    void a503IsRetriedWithADoublingBackoff() throws Exception {
        try (TestApi api = new TestApi((r, i) -> i == 1 || i == 2
                ? new TestApi.Answer(503, "", List.of()) : page(r))) {
            assertEquals(3, ingest(args(api, "")).pages());
            assertTrue(millisBetween(api.requests.get(1), api.requests.get(2)) >= 45);
            assertTrue(millisBetween(api.requests.get(2), api.requests.get(3)) >= 95, "the second wait is twice the first");
            assertEquals(range(1, 4), ids("\"" + schema + "\".orders"));
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
        long seconds = PageFetcher.retryAfter(headers("Retry-After", inAMinute)).toSeconds();
        assertTrue(seconds >= 58 && seconds <= 60, inAMinute + " -> " + seconds);
        assertEquals(java.time.Duration.ofSeconds(7), PageFetcher.retryAfter(headers("Retry-After", "7")));
        assertEquals(null, PageFetcher.retryAfter(headers("Retry-After", "soon")), "unreadable: the backoff applies");
    }

    private static java.net.http.HttpHeaders headers(String name, String value) {
        return java.net.http.HttpHeaders.of(java.util.Map.of(name, List.of(value)), (a, b) -> true);
    }

    @Test
    void retriesRunOutWithTheLastAnswerInTheMessage() throws Exception {
        try (TestApi api = new TestApi((r, i) -> new TestApi.Answer(502, "{\"error\": \"upstream\"}", List.of()))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api,
                    ", \"max_retries\": 2")));
            assertEquals(api.url("/orders") + " answered 502 after 3 attempts: {\"error\": \"upstream\"}", e.getMessage());
            assertEquals(3, api.requests.size());
        }
    }

    @Test
    void aRetryAfterLongerThanAllowedFailsAtOnce() throws Exception {
        try (TestApi api = new TestApi((r, i) -> new TestApi.Answer(429, "", List.of("Retry-After: 3600")))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api,
                    ", \"max_retry_wait_seconds\": 10")));
            assertTrue(e.getMessage().contains("asks to retry in 3600 s, longer than max_retry_wait_seconds"),
                    e.getMessage());
            assertEquals(1, api.requests.size());
        }
    }

    @Test
    void theRateLimitSpacesRequests() throws Exception {
        try (TestApi api = new TestApi((r, i) -> page(r))) {
            assertEquals(3, ingest(args(api, ", \"requests_per_second\": 5")).pages());
            // the first request's arrival also waits for the connection to open, so measure from the second on
            assertTrue(millisBetween(api.requests.get(1), api.requests.get(2)) >= 190);
            assertTrue(millisBetween(api.requests.get(0), api.requests.get(2)) >= 350);
        }
    }

    @Test
    void aPageLargerThanMaxResponseBytesFailsTheLoad() throws Exception {
        try (TestApi api = new TestApi((r, i) -> ok("{\"data\": " + items(1, 100) + "}"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api,
                    ", \"max_response_bytes\": 1024")));
            assertTrue(e.getMessage().contains("more than max_response_bytes (1024)"), e.getMessage());
        }
    }
}

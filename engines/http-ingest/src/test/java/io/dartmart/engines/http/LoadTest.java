package io.dartmart.engines.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static io.dartmart.engines.http.TestApi.Answer.ok;
import static io.dartmart.engines.http.TestIngest.COLUMNS;
import static io.dartmart.engines.http.TestIngest.ids;
import static io.dartmart.engines.http.TestIngest.ingest;
import static io.dartmart.engines.http.TestIngest.items;
import static io.dartmart.engines.http.TestIngest.range;
import static io.dartmart.engines.http.TestIngest.rows;
import static io.dartmart.engines.http.TestIngest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load types into the embedded PostgreSQL, a reload failing halfway, and the raw pages kept in the test S3. */
class LoadTest {
    private final String schema = unique("load");
    private final String table = "\"" + schema + "\".orders";

    private String args(TestApi api, String loadType, String extra) {
        return "{\"url\": \"" + api.url("/orders") + "\", \"records_path\": \"$.data\", \"pagination\": {\"type\":"
                + " \"page_number\"}, \"columns\": " + COLUMNS + ", \"target_schema_name\": \"" + schema
                + "\", \"target_table_name\": \"orders\", \"load_type\": \"" + loadType + "\", \"max_retries\": 0" + extra
                + "}";
    }

    /** An API of two pages of the given records, then an empty page. */
    private static TestApi pages(String first, String second) throws Exception {
        return new TestApi((r, i) -> {
            String page = TestApi.param(r, "page");
            return ok("{\"data\": " + ("1".equals(page) ? first : "2".equals(page) ? second : "[]") + "}");
        });
    }

    @Test
    void insertAppendsEveryRun() throws Exception {
        try (TestApi api = pages(items(1, 2), items(3, 3))) {
            assertEquals(3, ingest(args(api, "INSERT", "")).rows());
            assertEquals(3, ingest(args(api, "INSERT", "")).rows());
            assertEquals(List.of(1L, 1L, 2L, 2L, 3L, 3L), ids(table));
            assertEquals(List.of("id|bigint", "name|text", "amount|numeric"), rows("SELECT column_name, data_type FROM"
                    + " information_schema.columns WHERE table_schema = '" + schema + "' ORDER BY ordinal_position"));
        }
    }

    @Test
    void mergeReplacesRowsByKeyAndTheLastRecordOfADuplicatedKeyWins() throws Exception {
        try (TestApi api = pages(items(1, 3), items(4, 4))) {
            ingest(args(api, "MERGE", ", \"merge_keys\": [\"id\"]"));
        }
        String first = "[{\"id\": 2, \"customer\": {\"name\": \"first\"}, \"amount\": 1}, {\"id\": 5, \"customer\":"
                + " {\"name\": \"new\"}, \"amount\": 5}]";
        String second = "[{\"id\": 2, \"customer\": {\"name\": \"last\"}, \"amount\": 2}]";
        try (TestApi api = pages(first, second)) {
            assertEquals(2, ingest(args(api, "MERGE", ", \"merge_keys\": [\"id\"]")).rows(), "two keys merged");
        }
        assertEquals(List.of("1|name-1|0.10", "2|last|2.00", "3|name-3|0.30", "4|name-4|0.40", "5|new|5.00"),
                rows("SELECT * FROM " + table + " ORDER BY id"));
        assertEquals(List.of("id"), rows("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary"),
                "a table made for a merge has the merge keys as its primary key");
    }

    @Test
    void mergeWithoutKeysIsRefused() throws Exception {
        try (TestApi api = pages(items(1, 1), "[]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ingest(args(api, "MERGE", "")));
            assertTrue(e.getMessage().contains("names no merge_keys"), e.getMessage());
        }
    }

    @Test
    void reloadAllReplacesTheTableWithEveryPage() throws Exception {
        try (TestApi api = pages(items(1, 3), items(4, 5))) {
            ingest(args(api, "RELOAD_ALL", ""));
        }
        try (TestApi api = pages(items(10, 11), items(12, 12))) {
            assertEquals(3, ingest(args(api, "RELOAD_ALL", "")).rows());
        }
        assertEquals(range(10, 12), ids(table));
    }

    @Test
    void aReloadFailingHalfwayLeavesTheOldRowsReadableThroughoutAndAfter() throws Exception {
        try (TestApi api = pages(items(1, 3), items(4, 5))) {
            ingest(args(api, "RELOAD_ALL", ""));
        }
        List<List<Long>> seenDuringTheLoad = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TestApi api = new TestApi((r, i) -> {
            if ("1".equals(TestApi.param(r, "page"))) {
                return ok("{\"data\": " + items(100, 150) + "}");
            }
            seenDuringTheLoad.add(ids(table));
            return new TestApi.Answer(500, "{\"error\": \"boom\"}", List.of());
        })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api, "RELOAD_ALL", "")));
            assertTrue(e.getMessage().contains("answered 500"), e.getMessage());
        }
        assertEquals(List.of(range(1, 5)), seenDuringTheLoad, "a reader is not blocked and sees the old rows");
        assertEquals(range(1, 5), ids(table));
    }

    @Test
    void aRecordTheColumnsCannotHoldFailsTheLoadWithTheDatabasesWords() throws Exception {
        try (TestApi api = pages("[{\"id\": \"not a number\"}]", "[]")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api, "INSERT", "")));
            assertTrue(e.getMessage().contains("invalid input syntax for type bigint"), e.getMessage());
        }
        assertEquals(List.of(), rows("SELECT * FROM pg_tables WHERE schemaname = '" + schema + "'"));
    }

    @Test
    void aDatasetGivesTheColumnsKeysAndTable() throws Exception {
        var dataset = TestIngest.jsonOf("{\"name\": \"orders\", \"table_name\": \"orders\", \"primary_keys\": [\"id\"],"
                + " \"columns\": " + COLUMNS + "}");
        try (TestApi api = pages(items(1, 2), items(2, 2))) {
            var args = TestIngest.jsonOf("{\"url\": \"" + api.url("/orders") + "\", \"records_path\": \"$.data\","
                    + " \"pagination\": {\"type\": \"page_number\"}, \"dataset_id\": \"D1\", \"target_schema_name\": \""
                    + schema + "\", \"load_type\": \"MERGE\"}");
            HttpIngest.run(args, dataset, TestIngest.warehouse(), TestIngest.S3, new HttpIngest.Run("A1",
                    d -> Thread.sleep(d.toMillis()), () -> false, Clock.systemUTC()), Auth.of(null, Clock.systemUTC()));
        }
        assertEquals(range(1, 2), ids(table));
    }

    @Test
    void rawPagesGoToS3AsJsonLinesAndAFailedLoadWritesNone() throws Exception {
        String bucket = unique("raw").replace('_', '-');
        TestIngest.S3.createBucket(b -> b.bucket(bucket));
        try (TestApi api = pages(items(1, 2), items(3, 3))) {
            ingest(args(api, "INSERT", ", \"raw_pages_s3_path\": \"s3://" + bucket + "/orders/{YEAR}/pages.jsonl\""));
        }
        String key = "orders/" + java.time.Year.now(java.time.ZoneOffset.UTC) + "/pages.jsonl";
        String object = TestIngest.S3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        assertEquals(List.of("{\"data\":" + items(1, 2).replace(" ", "") + "}", "{\"data\":" + items(3, 3).replace(" ", "")
                + "}", "{\"data\":[]}"), List.of(object.split("\n")));
        try (TestApi api = pages(items(1, 1), "oops")) {
            assertThrows(IllegalStateException.class, () -> ingest(args(api, "INSERT",
                    ", \"raw_pages_s3_path\": \"s3://" + bucket + "/failed.jsonl\"")));
        }
        assertEquals(1, TestIngest.S3.listObjectsV2(b -> b.bucket(bucket)).contents().size(), "no object for a failed load");
    }
}

package io.dartmart.engines.postgres;

import io.dartmart.engines.postgres.DatasetFiles.S3File;
import io.dartmart.engines.postgres.TableLoad.Result;
import io.dartmart.engines.postgres.TableLoad.Target;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import com.google.re2j.Pattern;

import static io.dartmart.engines.postgres.TestWarehouse.bucket;
import static io.dartmart.engines.postgres.TestWarehouse.gzip;
import static io.dartmart.engines.postgres.TestWarehouse.json;
import static io.dartmart.engines.postgres.TestWarehouse.put;
import static io.dartmart.engines.postgres.TestWarehouse.rows;
import static io.dartmart.engines.postgres.TestWarehouse.sql;
import static io.dartmart.engines.postgres.TestWarehouse.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** load_dataset's loads, against the embedded PostgreSQL and the test S3 server, one load type and format at a time. */
class TableLoadTest {
    private static final String CSV = """
            {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": ",", "quoted_by": "\\"",
             "num_header_rows": 1, "null_string": "NA"}""";
    private static final String ORDER_COLUMNS = """
            [{"name": "id", "data_type": "INT", "is_nullable": false}, {"name": "Customer Name", "data_type": "STRING"},
             {"name": "total", "data_type": "NUMERIC", "precision": 10, "scale": 2}]""";

    private final String bucket = bucket("load");
    private final Target target = new Target(unique("s"), "orders");

    private DatasetSpec dataset(String loadType, String format, String columns, String extra) {
        return DatasetSpec.of(json("{\"name\": \"orders\", \"location\": \"s3://" + bucket + "/orders\","
                + " \"load_type\": \"" + loadType + "\", \"data_format\": " + format + ", \"columns\": " + columns
                + extra + "}"));
    }

    private Result load(DatasetSpec dataset) throws Exception {
        return load(dataset, () -> false);
    }

    private Result load(DatasetSpec dataset, java.util.function.BooleanSupplier stopped) throws Exception {
        List<Double> progress = new ArrayList<>();
        List<S3File> files = DatasetFiles.list(TestWarehouse.S3, dataset.location(), null, null,
                Pattern.compile("\\.(csv|json)(\\.gz)?$"));
        Result r = TableLoad.run(TestWarehouse.warehouse(), TestWarehouse.S3, dataset, target, files, "A1",
                progress::add, stopped);
        assertEquals(r.files(), progress.size(), "one progress report per file loaded");
        return r;
    }

    private List<String> table(String orderBy) throws SQLException {
        return rows("SELECT * FROM " + target.sql() + " ORDER BY " + orderBy);
    }

    @Test
    void anInsertCreatesTheTableFromTheColumnsReadsGzipAndQuotesAndARerunLoadsNothingTwice() throws Exception {
        put(bucket, "orders/2026-11-01.csv.gz", gzip("id,Customer Name,total\n1,\"Smith, Jane\",10.50\n2,NA,NA\n"));
        put(bucket, "orders/2026-11-02.csv", "id,Customer Name,total\n3,\"O'Hare \"\"Bob\"\"\",7\n");
        put(bucket, "orders/_SUCCESS", "");
        DatasetSpec orders = dataset("INSERT", CSV, ORDER_COLUMNS, ", \"compression\": \"NONE\"");

        assertEquals(new Result(2, 3, 0), load(orders));
        assertEquals(List.of("1|Smith, Jane|10.50", "2|NULL|NULL", "3|O'Hare \"Bob\"|7.00"), table("id"));
        assertEquals(List.of("id|integer|NO", "Customer Name|text|YES", "total|numeric|YES"), rows(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = '"
                        + target.schema() + "' AND table_name = 'orders' ORDER BY ordinal_position"));

        assertEquals(new Result(0, 0, 2), load(orders), "a re-run loads nothing twice");
        put(bucket, "orders/2026-11-03.csv", "id,Customer Name,total\n4,Lee,1\n");
        assertEquals(new Result(1, 1, 2), load(orders), "only the new file");
        assertEquals(4, table("id").size());
        assertEquals(List.of("s3://" + bucket + "/orders/2026-11-01.csv.gz", "s3://" + bucket + "/orders/2026-11-02.csv",
                "s3://" + bucket + "/orders/2026-11-03.csv"), rows("SELECT s3_path FROM dart_meta.loaded_files"
                + " WHERE target_schema = '" + target.schema() + "' ORDER BY s3_path"));
    }

    @Test
    void tabSeparatedFilesWithoutQuotingKeepQuoteCharactersAndSkipSeveralHeaderLines() throws Exception {
        put(bucket, "orders/a.csv", "exported by x\nid\tCustomer Name\ttotal\n1\t5\" screen \"big\"\t\\N\n");
        DatasetSpec tsv = dataset("INSERT", """
                {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": "\\t", "num_header_rows": 2,
                 "null_string": "\\\\N"}""", ORDER_COLUMNS, "");
        assertEquals(1, load(tsv).rows());
        assertEquals(List.of("1|5\" screen \"big\"|NULL"), table("id"));
    }

    @Test
    void jsonLinesAreReadThroughEachColumnsPath() throws Exception {
        put(bucket, "orders/a.json.gz", gzip("""
                {"id": 1, "customer": {"name": "Ann"}, "lines": [{"amount": 12.25}], "tags": {"vip": true}}
                {"id": 2, "customer": {"name": "Bo, \\"the\\" best"}, "lines": []}

                {"id": 3, "customer": null, "lines": [{"amount": 1e2}], "tags": ["a"]}
                """));
        DatasetSpec events = dataset("INSERT", "{\"file_format\": \"TEXTFILE\", \"row_format\": \"JSON\"}", """
                [{"name": "id", "data_type": "BIGINT"},
                 {"name": "name", "data_type": "STRING", "path": "$.customer.name"},
                 {"name": "amount", "data_type": "DOUBLE", "path": "$.lines[0]['amount']"},
                 {"name": "tags", "data_type": "STRING"}]""", ", \"compression\": \"GZIP\"");
        assertEquals(3, load(events).rows());
        assertEquals(List.of("1|Ann|12.25|{\"vip\":true}", "2|Bo, \"the\" best|NULL|NULL", "3|NULL|100|[\"a\"]"),
                table("id"));
    }

    @Test
    void aMergeReplacesRowsByKeyAndTheLastRowOfAKeyInOneLoadWins() throws Exception {
        DatasetSpec merge = dataset("MERGE", CSV, ORDER_COLUMNS, ", \"primary_keys\": [\"id\"]");
        put(bucket, "orders/1.csv", "id,Customer Name,total\n1,a,1\n2,b,2\n");
        load(merge);
        put(bucket, "orders/2.csv", "id,Customer Name,total\n1,c,3\n3,d,4\n1,e,5\n");
        put(bucket, "orders/3.csv", "id,Customer Name,total\n3,f,6\n");
        assertEquals(new Result(2, 2, 1), load(merge), "two keys merged from two new files");
        assertEquals(List.of("1|e|5.00", "2|b|2.00", "3|f|6.00"), table("id"));
        assertTrue(rows("SELECT 1 FROM pg_indexes WHERE schemaname = '" + target.schema() + "'").size() == 1,
                "the created table has the dataset's primary key");
    }

    @Test
    void aMergeIntoATableWithItsOwnIdentityColumnLeavesItToTheTable() throws Exception {
        sql("CREATE SCHEMA \"" + target.schema() + "\"; CREATE TABLE " + target.sql() + " (row_id bigint GENERATED"
                + " ALWAYS AS IDENTITY PRIMARY KEY, id int NOT NULL UNIQUE, \"Customer Name\" text, total numeric)");
        put(bucket, "orders/1.csv", "id,Customer Name,total\n1,a,1\n1,b,2\n");
        load(dataset("MERGE", CSV, ORDER_COLUMNS, ", \"merge_keys\": [\"id\"]"));
        assertEquals(List.of("1|b|2"), rows("SELECT id, \"Customer Name\", total FROM " + target.sql()));
    }

    @Test
    void batchMergeSortKeysDecideWhichRowOfAKeyWins() throws Exception {
        DatasetSpec merge = dataset("MERGE", CSV, """
                [{"name": "id", "data_type": "INT"}, {"name": "version", "data_type": "INT"},
                 {"name": "v", "data_type": "STRING"}]""",
                ", \"merge_keys\": [\"id\"], \"batch_merge_sort_keys\": [\"version\"]");
        put(bucket, "orders/1.csv", "id,version,v\n1,5,newest\n1,3,older\n1,NA,unknown\n2,1,x\n");
        load(merge);
        assertEquals(List.of("1|5|newest", "2|1|x"), table("id"));
    }

    @Test
    void reloadsReplaceTheRowsWithAllFilesOrTheLastOne() throws Exception {
        sql("CREATE SCHEMA \"" + target.schema() + "\"; CREATE TABLE " + target.sql()
                + " (id int, \"Customer Name\" text, total numeric, loaded timestamptz DEFAULT now());"
                + " INSERT INTO " + target.sql() + " VALUES (9, 'old', 0)");
        put(bucket, "orders/1.csv", "id,Customer Name,total\n1,a,1\n");
        put(bucket, "orders/2.csv", "id,Customer Name,total\n2,b,2\n");
        assertEquals(new Result(2, 2, 0), load(dataset("RELOAD_ALL", CSV, ORDER_COLUMNS, "")));
        assertEquals(List.of("1|a|1", "2|b|2"), rows("SELECT id, \"Customer Name\", total FROM " + target.sql()
                + " ORDER BY id"));
        assertEquals(new Result(1, 1, 0), load(dataset("RELOAD_LAST", CSV, ORDER_COLUMNS, "")));
        assertEquals(List.of("2|b|2"), rows("SELECT id, \"Customer Name\", total FROM " + target.sql()));
        assertEquals(1, rows("SELECT 1 FROM " + target.sql() + " WHERE loaded IS NOT NULL").size(),
                "columns the dataset does not have take their defaults");
    }

    @Test
    void aLoadFailingHalfwayLeavesTheTableAsItWasAndReadersSeeTheOldRowsMeanwhile() throws Exception {
        DatasetSpec reload = dataset("RELOAD_ALL", CSV, ORDER_COLUMNS, "");
        put(bucket, "orders/1.csv", "id,Customer Name,total\n1,a,1\n");
        load(reload);
        put(bucket, "orders/2.csv", "id,Customer Name,total\n2,b,2\n3,c,3\nfour,d,4\n");
        AtomicReference<List<String>> seenMeanwhile = new AtomicReference<>();
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> load(reload, () -> {
            if (seenMeanwhile.get() == null) {
                seenMeanwhile.set(readWithTimeout());
            }
            return false;
        }));
        String message = failure.getMessage();
        assertTrue(message.startsWith("loading s3://" + bucket + "/orders/2.csv failed: invalid input syntax for type"
                + " integer: \"four\""), message);
        assertTrue(message.contains("line 4, column id"), message);
        assertEquals(List.of("1|a|1.00"), seenMeanwhile.get(), "a reader during the load saw the old rows");
        assertEquals(List.of("1|a|1.00"), table("id"), "the failed load changed nothing");
        assertEquals(List.of("s3://" + bucket + "/orders/1.csv"), rows("SELECT s3_path FROM dart_meta.loaded_files"
                + " WHERE target_schema = '" + target.schema() + "'"));
    }

    @Test
    void aFailedFirstLoadDoesNotLeaveAnEmptyTableBehind() throws Exception {
        put(bucket, "orders/1.csv", "id,Customer Name,total\nNA,a,1\n");
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> load(dataset("INSERT", CSV, ORDER_COLUMNS, "")));
        assertTrue(failure.getMessage().contains("null value in column \"id\""), failure.getMessage());
        assertEquals(List.of(), rows("SELECT 1 FROM information_schema.tables WHERE table_schema = '"
                + target.schema() + "'"));
    }

    @Test
    void whatCannotBeLoadedIsRefusedWithTheReason() throws Exception {
        IllegalArgumentException parquet = assertThrows(IllegalArgumentException.class, () -> dataset("INSERT",
                "{\"file_format\": \"PARQUET\", \"row_format\": \"NONE\"}", ORDER_COLUMNS, ""));
        assertTrue(parquet.getMessage().contains("not PARQUET NONE"), parquet.getMessage());
        put(bucket, "orders/1.csv", "id,Customer Name,total\n1,a,1\n");
        IllegalArgumentException noKeys = assertThrows(IllegalArgumentException.class,
                () -> load(dataset("MERGE", CSV, ORDER_COLUMNS, "")));
        assertTrue(noKeys.getMessage().contains("names no merge_keys nor primary_keys"), noKeys.getMessage());
        sql("CREATE SCHEMA \"" + target.schema() + "\"; CREATE TABLE " + target.sql() + " (id int)");
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
                () -> load(dataset("INSERT", CSV, ORDER_COLUMNS, "")));
        assertTrue(columns.getMessage().contains("has no column Customer Name, total"), columns.getMessage());
    }

    private List<String> readWithTimeout() {
        try (Connection c = TestWarehouse.connect(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '5s'");
            List<String> seen = new ArrayList<>();
            try (var r = s.executeQuery("SELECT * FROM " + target.sql() + " ORDER BY id")) {
                while (r.next()) {
                    seen.add(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3));
                }
            }
            return seen;
        } catch (SQLException e) {
            return List.of("the read failed: " + e.getMessage());
        }
    }
}

package io.dartmart.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.aws.S3Path;
import io.dartmart.domain.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetGuesserTest {
    private static ObjectNode guess(String key, byte[] bytes, boolean whole, int maxLines) throws IOException {
        return DatasetGuesser.guess(new Sample(new ByteArrayInputStream(bytes), whole),
                S3Path.parseObject("s3://bucket/" + key, "s3_path"), maxLines);
    }

    private static ObjectNode guess(String key, String text) throws IOException {
        return guess(key, text.getBytes(StandardCharsets.UTF_8), true, DatasetGuesser.DEFAULT_MAX_LINES);
    }

    private static String invalid(String key, byte[] bytes) {
        return assertThrows(InvalidInputException.class,
                () -> guess(key, bytes, true, DatasetGuesser.DEFAULT_MAX_LINES)).getMessage();
    }

    private static List<String> names(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.path("columns").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static List<String> types(JsonNode doc) {
        List<String> types = new ArrayList<>();
        doc.path("columns").forEach(c -> types.add(c.path("data_type").asText()));
        return types;
    }

    private static JsonNode column(JsonNode doc, String name) {
        for (JsonNode c : doc.path("columns")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no column " + name + " in " + doc);
    }

    private static byte[] gzip(String text) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void csvWithAHeaderGetsNamedTypedColumns() throws IOException {
        ObjectNode doc = guess("exports/daily/Sales Report.csv", """
                id,Customer Name,price,active,signup_date,updated_at,zip,score
                1,Ann,12.50,true,2026-01-31,2026-01-31 10:00:00,01234,1.5e3
                2,"Bob, Jr.",7,false,2026-02-01,2026-02-01T11:30:00Z,98765,2.25
                3,Cy,,TRUE,2026-02-02,2026-02-02 12:00:00.123,10001,-3E-2
                """);
        assertEquals("sales_report", doc.path("name").asText());
        assertEquals("sales_report", doc.path("table_name").asText());
        assertEquals("s3://bucket/exports/daily/", doc.path("location").asText());
        assertEquals("NONE", doc.path("compression").asText());
        JsonNode format = doc.path("data_format");
        assertEquals("TEXTFILE", format.path("file_format").asText());
        assertEquals("DELIMITED", format.path("row_format").asText());
        assertEquals(",", format.path("delimited_by").asText());
        assertEquals("\"", format.path("quoted_by").asText());
        assertEquals(1, format.path("num_header_rows").asInt());
        assertEquals(List.of("id", "customer_name", "price", "active", "signup_date", "updated_at", "zip", "score"),
                names(doc));
        assertEquals(List.of("BIGINT", "VARCHAR", "NUMERIC", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR", "DOUBLE"),
                types(doc));
        assertEquals(2, column(doc, "price").path("scale").asInt());
        assertEquals(18, column(doc, "price").path("precision").asInt());
        assertEquals(16, column(doc, "customer_name").path("length").asInt());
        assertTrue(column(doc, "price").path("is_nullable").asBoolean(), "an empty price");
        assertFalse(column(doc, "id").path("is_nullable").asBoolean());
        assertEquals("INSERT", doc.path("load_type").asText());
        assertEquals(0, doc.path("primary_keys").size(), "defaults are applied: a complete document");
    }

    @Test
    void tabsPipesAndSemicolonsAreFoundFromTheContent() throws IOException {
        String[][] cases = {{"\t", "data.txt"}, {"|", "data.dat"}, {";", "data.csv"}};
        for (String[] c : cases) {
            String d = c[0];
            ObjectNode doc = guess(c[1], "a" + d + "b" + d + "c\n1" + d + "x, y" + d + "2.5\n2" + d + "z" + d + "3\n");
            assertEquals(d, doc.path("data_format").path("delimited_by").asText(), c[1]);
            assertEquals(List.of("a", "b", "c"), names(doc), d);
            assertEquals(List.of("BIGINT", "VARCHAR", "NUMERIC"), types(doc), d);
        }
    }

    @Test
    void withoutAHeaderColumnsAreNumbered() throws IOException {
        ObjectNode doc = guess("x/events.tsv.gz", gzip("1\t2026-01-01\tclick\n2\t2026-01-02\tview\n"), true, 100);
        assertEquals(0, doc.path("data_format").path("num_header_rows").asInt());
        assertEquals("\t", doc.path("data_format").path("delimited_by").asText());
        assertTrue(doc.path("data_format").path("quoted_by").isNull(), "tab files are not quoted unless they show it");
        assertEquals(List.of("col_1", "col_2", "col_3"), names(doc));
        assertEquals(List.of("BIGINT", "DATE", "VARCHAR"), types(doc));
        assertEquals("GZIP", doc.path("compression").asText());
        assertEquals("events", doc.path("name").asText());
    }

    @Test
    void allTextWithoutAHeaderWhenALabelRecursAsAValue() throws IOException {
        ObjectNode doc = guess("t.csv", "red,apple\nred,cherry\ngreen,lime\n");
        assertEquals(0, doc.path("data_format").path("num_header_rows").asInt());
        ObjectNode labelled = guess("t.csv", "colour,fruit\nred,apple\ngreen,lime\n");
        assertEquals(1, labelled.path("data_format").path("num_header_rows").asInt());
        assertEquals(List.of("colour", "fruit"), names(labelled));
    }

    @Test
    void headerNamesAreSanitisedAndMadeUnique() throws IOException {
        ObjectNode doc = guess("n.csv", "First Name,first-name,2nd,,Größe\nA,B,3,4,5\n");
        assertEquals(List.of("first_name", "first_name_2", "col_2nd", "col_4", "gr_e"), names(doc));
    }

    @Test
    void quotedFieldsMaySpanLinesAndHoldDelimiters() throws IOException {
        ObjectNode doc = guess("q.csv", "id,note\n1,\"one, two\"\n2,\"line\nbreak \"\"quoted\"\"\"\n3,plain\n");
        assertEquals(List.of("id", "note"), names(doc));
        assertEquals(List.of("BIGINT", "VARCHAR"), types(doc));
        assertFalse(column(doc, "note").path("is_nullable").asBoolean());
    }

    @Test
    void jsonLinesFlattenNestedObjectsWithPaths() throws IOException {
        ObjectNode doc = guess("logs/app.jsonl", """
                {"id": 1, "user": {"name": "ann", "age": 31}, "tags": ["a"], "at": "2026-01-01T00:00:00Z", "ok": true}
                {"id": 2, "user": {"name": "bob"}, "tags": [], "at": "2026-01-02T00:00:00Z", "ok": false, "Score %": 1.5}

                {"id": 3, "user": {"name": "cy", "age": null}, "tags": ["b", "c"], "at": "2026-01-03T00:00:00Z", "ok": true}
                """);
        JsonNode format = doc.path("data_format");
        assertEquals("JSON", format.path("row_format").asText());
        assertEquals("TEXTFILE", format.path("file_format").asText());
        assertEquals(List.of("id", "user_name", "user_age", "tags", "at", "ok", "score"), names(doc));
        assertEquals(List.of("BIGINT", "VARCHAR", "BIGINT", "VARCHAR", "TIMESTAMP", "BOOLEAN", "NUMERIC"), types(doc));
        assertEquals("$.user.name", column(doc, "user_name").path("path").asText());
        assertEquals("$['Score %']", column(doc, "score").path("path").asText());
        assertTrue(column(doc, "user_age").path("is_nullable").asBoolean(), "missing once, null once");
        assertTrue(column(doc, "score").path("is_nullable").asBoolean(), "absent from the first row");
        assertFalse(column(doc, "id").path("is_nullable").asBoolean());
        assertEquals("app", doc.path("name").asText());
    }

    @Test
    void gzipIsFoundFromItsBytesToo() throws IOException {
        ObjectNode doc = guess("raw/part-0000", gzip("a,b\n1,2\n"), true, 100);
        assertEquals("GZIP", doc.path("compression").asText());
        assertEquals(List.of("a", "b"), names(doc));
        assertEquals("part_0000", doc.path("name").asText());
    }

    @Test
    void aSampleCutShortDropsItsPartialLastLine() throws IOException {
        byte[] cut = "n\n1\n2\nabc".getBytes(StandardCharsets.UTF_8);
        assertEquals("BIGINT", guess("c.csv", cut, false, 100).path("columns").get(0).path("data_type").asText());
        assertEquals("VARCHAR", guess("c.csv", cut, true, 100).path("columns").get(0).path("data_type").asText(),
                "the whole object: its last line counts");
        StringBuilder numbers = new StringBuilder("n\n");
        for (int i = 0; i < 5000; i++) {
            numbers.append(i * 7919 % 100_003).append('\n');
        }
        byte[] gz = gzip(numbers.toString());
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        assertEquals("BIGINT", guess("c.csv.gz", truncated, false, 10_000).path("columns").get(0)
                .path("data_type").asText(), "a compressed sample cut short stands for what it holds");
        String message = assertThrows(InvalidInputException.class,
                () -> guess("c.csv.gz", truncated, true, 10_000)).getMessage();
        assertTrue(message.contains("ends early"), message);
    }

    @Test
    void maxLinesBoundsTheSample() throws IOException {
        String text = "n\n" + "1\n".repeat(50) + "x\n";
        assertEquals("BIGINT", guess("m.csv", text.getBytes(StandardCharsets.UTF_8), true, 20).path("columns")
                .get(0).path("data_type").asText());
        assertEquals("VARCHAR", guess("m.csv", text.getBytes(StandardCharsets.UTF_8), true, 100).path("columns")
                .get(0).path("data_type").asText());
    }

    @Test
    void nullMarkersMakeColumnsNullableAndAreReported() throws IOException {
        ObjectNode doc = guess("h.tsv", "a\tb\n1\t\\N\n2\tx\n");
        assertEquals("\\N", doc.path("data_format").path("null_string").asText());
        assertTrue(column(doc, "b").path("is_nullable").asBoolean());
        assertEquals("VARCHAR", column(doc, "b").path("data_type").asText());
    }

    @Test
    void whatIsNotLineTextIsRefusedWithAReason() throws IOException {
        assertTrue(invalid("p.parquet", "PAR1\0\0\0".getBytes(StandardCharsets.ISO_8859_1)).contains("Parquet"));
        assertTrue(invalid("b.bin", new byte[]{'a', 0, 'b', '\n'}).contains("binary"));
        assertTrue(invalid("l.csv", new byte[]{'a', (byte) 0xC3, '\n'}).contains("not UTF-8"));
        assertTrue(invalid("e.csv", new byte[0]).contains("is empty"));
        assertTrue(invalid("z.csv.gz", "a,b\n".getBytes(StandardCharsets.UTF_8)).contains("not valid gzip"));
        assertTrue(invalid("w.csv", "\n \n".getBytes(StandardCharsets.UTF_8)).contains("no data"));
        String message = assertThrows(InvalidInputException.class, () -> guess("s.csv",
                "x".repeat(2000).getBytes(StandardCharsets.UTF_8), false, 100)).getMessage();
        assertTrue(message.contains("no line break"), message);
        assertTrue(message.startsWith("s3_path: s3://bucket/s.csv"), message);
    }

    @Test
    void datasetNamesComeFromTheFileName() {
        assertEquals("orders", DatasetGuesser.datasetName("orders.csv.gz"));
        assertEquals("dataset_2026_01_01", DatasetGuesser.datasetName("2026-01-01.jsonl"));
        assertEquals("dataset", DatasetGuesser.datasetName("---.csv"));
        assertEquals("a_b_parquet", DatasetGuesser.datasetName("a.b.parquet"));
    }
}

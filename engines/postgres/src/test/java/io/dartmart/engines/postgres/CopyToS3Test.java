package io.dartmart.engines.postgres;

import io.dartmart.engines.s3.S3Path;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.dartmart.engines.postgres.TestWarehouse.S3;
import static io.dartmart.engines.postgres.TestWarehouse.bucket;
import static io.dartmart.engines.postgres.TestWarehouse.warehouse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** copy_to_s3 from the embedded PostgreSQL into the test S3 server. */
class CopyToS3Test {
    private final String bucket = bucket("unload");

    private String read(String key, boolean gzip) throws IOException {
        byte[] bytes = S3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        return new String(gzip ? new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes() : bytes,
                StandardCharsets.UTF_8);
    }

    private CopyToS3.Written run(String query, String to, boolean json, boolean gzip) throws IOException {
        return CopyToS3.run(warehouse(), S3, new CopyToS3.Request(query, S3Path.parse("to", to), json, ",", true, gzip,
                null));
    }

    @Test
    void csvWithAHeaderGzipped() throws Exception {
        CopyToS3.Written w = run("SELECT x AS id, 'a,' || x AS label FROM generate_series(1, 2) x ORDER BY x;",
                "s3://" + bucket + "/out/", false, true);
        assertEquals(2, w.rows());
        assertEquals("out/part-00000.csv.gz", w.path().key());
        assertEquals("id,label\n1,\"a,1\"\n2,\"a,2\"\n", read("out/part-00000.csv.gz", true));
    }

    @Test
    void jsonLinesOneObjectPerRow() throws Exception {
        run("SELECT 1 AS id, 'say \"hi\"\\' AS text, NULL AS none", "s3://" + bucket + "/rows.jsonl", true, false);
        assertEquals("{\"id\":1,\"text\":\"say \\\"hi\\\"\\\\\",\"none\":null}\n", read("rows.jsonl", false));
    }

    @Test
    void aLargeResultGoesUpInParts() throws Exception {
        CopyToS3.Written w = run("SELECT x, repeat('x', 40) FROM generate_series(1, 400000) x",
                "s3://" + bucket + "/big.csv", false, false);
        assertTrue(w.bytes() > 2L * CopyToS3.PART_SIZE / 1.5, "more than one part: " + w.bytes());
        assertEquals(w.bytes(), S3.headObject(b -> b.bucket(bucket).key("big.csv")).contentLength());
        List<String> lines = read("big.csv", false).lines().toList();
        assertEquals(400_001, lines.size());
        assertEquals("400000," + "x".repeat(40), lines.get(400_000));
    }

    @Test
    void aFailingQueryWritesNothing() {
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> run("SELECT 1/0", "s3://" + bucket + "/never.csv", false, false));
        assertTrue(failed.getMessage().contains("division by zero"), failed.getMessage());
        assertEquals(0, S3.listObjectsV2(b -> b.bucket(bucket)).keyCount());
    }
}

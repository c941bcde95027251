package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static io.dartmart.engines.s3.TestBuckets.create;
import static io.dartmart.engines.s3.TestBuckets.head;
import static io.dartmart.engines.s3.TestBuckets.keys;
import static io.dartmart.engines.s3.TestBuckets.put;
import static io.dartmart.engines.s3.TestBuckets.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copy action against a real S3 protocol server. */
class S3CopyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private String src;
    private String dst;

    @BeforeEach
    void buckets() {
        src = create("copy-src");
        dst = create("copy-dst");
    }

    private static CopyArgs args(String json) throws Exception {
        return CopyArgs.of(MAPPER.readTree(json));
    }

    private static CopyReport copy(String json) throws Exception {
        return new S3Copy(TestBuckets.S3).run(args(json), f -> { }, () -> false);
    }

    @Test
    void aRecursiveCopyTakesTheFilteredObjectsToTheSameRelativeKeys() throws Exception {
        put(src, "in/a.csv", "a,1");
        put(src, "in/b.txt", "not csv");
        put(src, "in/sub/c.csv", "c,3");
        put(src, "inbox/d.csv", "a sibling of in/, not under it");
        put(src, "other/e.csv", "elsewhere");

        CopyReport report = copy("{\"from_path\": \"s3://" + src + "/in\", \"to_path\": \"s3://" + dst + "/out/\","
                + " \"regex_filter\": \".*\\\\.csv\"}");

        assertEquals(List.of("out/a.csv", "out/sub/c.csv"), keys(dst));
        assertEquals("a,1", read(dst, "out/a.csv"));
        assertEquals("c,3", read(dst, "out/sub/c.csv"));
        assertEquals(new CopyReport(2, 6, 0), report);
    }

    @Test
    void recursiveIsTheDefaultAndCopiesAWholeBucket() throws Exception {
        put(src, "x/1", "one");
        put(src, "2", "two");

        CopyReport report = copy("{\"from_path\": \"s3://" + src + "\", \"to_path\": \"s3://" + dst + "/all\","
                + " \"recursive\": null, \"regex_filter\": null}");

        assertEquals(List.of("all/2", "all/x/1"), keys(dst));
        assertEquals(2, report.copied());
    }

    @Test
    void aRerunCopiesNothingAndLeavesTheCopiesAlone() throws Exception {
        put(src, "d/a", "alpha");
        put(src, "d/b", "beta");
        String json = "{\"from_path\": \"s3://" + src + "/d/\", \"to_path\": \"s3://" + dst + "/d/\"}";
        assertEquals(new CopyReport(2, 9, 0), copy(json));
        Instant aCopied = head(dst, "d/a").lastModified();
        Instant bCopied = head(dst, "d/b").lastModified();

        assertEquals(new CopyReport(0, 0, 2), copy(json));
        assertEquals(aCopied, head(dst, "d/a").lastModified());
        assertEquals(bCopied, head(dst, "d/b").lastModified());

        // a changed source object (other bytes, so another ETag, at the same size) and a new one are copied again
        put(src, "d/a", "ALPHA");
        put(src, "d/c", "gamma");
        assertEquals(new CopyReport(2, 10, 1), copy(json));
        assertEquals("ALPHA", read(dst, "d/a"));
        assertEquals("gamma", read(dst, "d/c"));
    }

    @Test
    void aNonRecursiveCopyTakesOneObject() throws Exception {
        put(src, "day/part-0.gz", "zipped");
        put(src, "day/part-1.gz", "left alone");

        assertEquals(new CopyReport(1, 6, 0), copy("{\"from_path\": \"s3://" + src + "/day/part-0.gz\","
                + " \"to_path\": \"s3://" + dst + "/renamed.gz\", \"recursive\": false}"));
        assertEquals(List.of("renamed.gz"), keys(dst));
        assertEquals("zipped", read(dst, "renamed.gz"));

        // into a folder: the object keeps its name
        copy("{\"from_path\": \"s3://" + src + "/day/part-0.gz\", \"to_path\": \"s3://" + dst + "/kept/\","
                + " \"recursive\": false}");
        assertEquals(List.of("kept/part-0.gz", "renamed.gz"), keys(dst));
        assertEquals(new CopyReport(0, 0, 1), copy("{\"from_path\": \"s3://" + src + "/day/part-0.gz\","
                + " \"to_path\": \"s3://" + dst + "/renamed.gz\", \"recursive\": false}"));
    }

    /** Decided: a copy with nothing to copy fails, so a step whose input never arrived does not pass silently. */
    @Test
    void aMissingSourceCopiesNothingAndFails() throws Exception {
        put(src, "present/a.txt", "a");

        IllegalStateException folder = assertThrows(IllegalStateException.class,
                () -> copy("{\"from_path\": \"s3://" + src + "/absent\", \"to_path\": \"s3://" + dst + "/out\"}"));
        assertEquals("nothing to copy: no object under s3://" + src + "/absent/", folder.getMessage());
        IllegalStateException filtered = assertThrows(IllegalStateException.class, () -> copy("{\"from_path\": \"s3://"
                + src + "/present\", \"to_path\": \"s3://" + dst + "/out\", \"regex_filter\": \".*\\\\.csv\"}"));
        assertEquals("nothing to copy: no object under s3://" + src + "/present/ matches regex_filter .*\\.csv",
                filtered.getMessage());
        IllegalStateException one = assertThrows(IllegalStateException.class, () -> copy("{\"from_path\": \"s3://"
                + src + "/present/b.txt\", \"to_path\": \"s3://" + dst + "/b.txt\", \"recursive\": false}"));
        assertEquals("nothing to copy: s3://" + src + "/present/b.txt does not exist", one.getMessage());
        assertEquals(List.of(), keys(dst));
    }

    @Test
    void pathsThatCannotWorkAreRefusedBeforeAnythingIsCopied() throws Exception {
        put(src, "a/x", "x");
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                () -> copy("{\"from_path\": \"s3://" + src + "/a\", \"to_path\": \"s3://" + src + "/a/copy\"}"));
        assertTrue(inside.getMessage().contains("lies inside from_path"), inside.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> copy("{\"from_path\": \"s3://" + src + "/a/\", \"to_path\": \"s3://" + src + "/b\","
                        + " \"recursive\": false}"));
        assertThrows(IllegalArgumentException.class, () -> copy("{\"from_path\": \"s3://" + src + "/a/x\","
                + " \"to_path\": \"s3://" + src + "/b\", \"recursive\": false, \"regex_filter\": \"x\"}"));
        assertEquals(List.of("a/x"), keys(src));
    }

    @Test
    void aMissingBucketIsNamedWithS3sOwnWords() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> copy("{\"from_path\": \"s3://no-such-bucket-4a1f/p\", \"to_path\": \"s3://x/y\"}"));
        assertTrue(e.getMessage().startsWith("listing s3://no-such-bucket-4a1f/p/ failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void objectsOverTheSingleCopyLimitAreCopiedInPartsAndSkippedOnARerun() throws Exception {
        byte[] big = new byte[11 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        put(src, "big.bin", big);
        put(src, "small.bin", "small");
        // parts of 5 MiB (S3's smallest) for anything over 6 MiB: three parts here
        S3Copy copy = new S3Copy(TestBuckets.S3, 6L * 1024 * 1024, 5L * 1024 * 1024);
        CopyArgs args = args("{\"from_path\": \"s3://" + src + "\", \"to_path\": \"s3://" + dst + "\"}");

        assertEquals(new CopyReport(2, big.length + 5L, 0), copy.run(args, f -> { }, () -> false));
        assertArrayEquals(big, TestBuckets.S3.getObjectAsBytes(b -> b.bucket(dst).key("big.bin")).asByteArray());
        assertTrue(head(dst, "big.bin").eTag().contains("-3"), head(dst, "big.bin").eTag());
        assertEquals(new CopyReport(0, 0, 2), copy.run(args, f -> { }, () -> false), "same size, multipart ETag");
    }

    @Test
    void aStoppedRunGivesUpBetweenObjects() throws Exception {
        put(src, "1", "a");
        put(src, "2", "b");
        List<String> asked = new ArrayList<>();
        CancellationException e = assertThrows(CancellationException.class, () -> new S3Copy(TestBuckets.S3)
                .run(args("{\"from_path\": \"s3://" + src + "\", \"to_path\": \"s3://" + dst + "\"}"), f -> { }, () -> {
                    asked.add("stopped?");
                    return asked.size() > 1;
                }));
        assertEquals("stopped after copying 1 and skipping 0 of 2 objects", e.getMessage());
        assertEquals(List.of("1"), keys(dst));
    }
}

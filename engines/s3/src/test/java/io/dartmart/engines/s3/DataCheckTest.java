package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dartmart.domain.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.dartmart.engines.s3.TestBuckets.create;
import static io.dartmart.engines.s3.TestBuckets.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data_check action against a real S3 protocol server, at times a test clock sets. */
class DataCheckTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-22T00:30:05Z"));

    private DataCheck.Found check(String json) throws Exception {
        return DataCheck.run(TestBuckets.S3, DataCheckArgs.of(MAPPER.readTree(json)), clock.instant());
    }

    private String failure(String json) {
        return assertThrows(IllegalStateException.class, () -> check(json)).getMessage();
    }

    @Test
    void passesWhenAnObjectExistsUnderThePrefix() throws Exception {
        String b = create("check");
        put(b, "events/x.gz", "data");
        DataCheck.Found found = check("{\"s3_path_prefix\": \"s3://" + b + "/events/\"}");
        assertEquals("s3://" + b + "/events/x.gz", found.path().toString());
        assertEquals(4, found.size());
    }

    @Test
    void failsUnderAnEmptyPrefixSayingWhereItLooked() {
        String b = create("check");
        put(b, "elsewhere/x", "data");
        assertEquals("no object under s3://" + b + "/events/ (0 objects looked at)",
                failure("{\"s3_path_prefix\": \"s3://" + b + "/events/\"}"));
    }

    @Test
    void objectsSmallerThanTheMinimumDoNotCount() throws Exception {
        String b = create("check");
        put(b, "p/a", "123456789012");
        put(b, "p/b", "12");
        put(b, "p/c", "");
        assertEquals("no object under s3://" + b + "/p/ has at least 13 bytes (3 objects looked at, largest 12 bytes)",
                failure("{\"s3_path_prefix\": \"s3://" + b + "/p/\", \"min_file_size_in_bytes\": 13}"));
        assertEquals("s3://" + b + "/p/a",
                check("{\"s3_path_prefix\": \"s3://" + b + "/p/\", \"min_file_size_in_bytes\": 12}").path().toString());
    }

    @Test
    void theRegexMustMatchTheWholePath() throws Exception {
        String b = create("check");
        put(b, "p/part-0.csv.tmp", "123");
        put(b, "p/part-1.json", "12345");
        String regex = "s3://" + b + "/p/part-\\\\d+\\\\.csv";
        assertEquals("no object under s3://" + b + "/p matches s3_path_regex s3://" + b + "/p/part-\\d+\\.csv"
                        + " (2 objects looked at, 0 matching the regex)",
                failure("{\"s3_path_prefix\": \"s3://" + b + "/p\", \"s3_path_regex\": \"" + regex + "\"}"));
        put(b, "p/part-2.csv", "12");
        assertEquals("no object under s3://" + b + "/p matches s3_path_regex s3://" + b + "/p/part-\\d+\\.csv"
                        + " with at least 3 bytes (3 objects looked at, 1 matching the regex, largest match 2 bytes)",
                failure("{\"s3_path_prefix\": \"s3://" + b + "/p\", \"s3_path_regex\": \"" + regex + "\","
                        + " \"min_file_size_in_bytes\": 3}"));
        assertEquals("s3://" + b + "/p/part-2.csv",
                check("{\"s3_path_prefix\": \"s3://" + b + "/p\", \"s3_path_regex\": \"" + regex + "\"}")
                        .path().toString());
    }

    @Test
    void datePlaceholdersTakeTheClockPlusTheOffsetInUtc() throws Exception {
        String b = create("check");
        put(b, "d/2026/11/21/23/part-0.csv", "yesterday's last hour");
        String args = "{\"s3_path_prefix\": \"s3://" + b + "/d/{YEAR}/{MONTH}/{DAY}/{HOUR}/\","
                + " \"s3_path_regex\": \".*/{YEAR}/{MONTH}/{DAY}/{HOUR}/part-\\\\d{1}\\\\.csv\","
                + " \"date_offset_in_seconds\": %d}";

        assertEquals("no object under s3://" + b + "/d/2026/11/22/00/ matches s3_path_regex"
                + " .*/2026/11/22/00/part-\\d{1}\\.csv (0 objects looked at, 0 matching the regex)",
                failure(String.format(args, 0)));
        assertEquals("s3://" + b + "/d/2026/11/21/23/part-0.csv", check(String.format(args, -3600)).path().toString());

        clock.set(Instant.parse("2026-11-21T23:59:59Z"));
        assertEquals("s3://" + b + "/d/2026/11/21/23/part-0.csv", check(String.format(args, 0)).path().toString());
    }

    @Test
    void placeholdersAreZeroPaddedAndOtherBracesStay() {
        Instant t = Instant.parse("0987-01-02T03:04:05Z");
        assertEquals("0987/01/02/03/04/05 {2} {year}",
                DateTokens.fill("{YEAR}/{MONTH}/{DAY}/{HOUR}/{MINUTE}/{SECOND} {2} {year}", t));
    }

    @Test
    void aBadRegexOrMissingBucketIsExplained() {
        String b = create("check");
        put(b, "p/x", "x");
        String bad = assertThrows(IllegalArgumentException.class,
                () -> check("{\"s3_path_prefix\": \"s3://" + b + "/p\", \"s3_path_regex\": \"(\"}")).getMessage();
        assertTrue(bad.startsWith("s3_path_regex is not a valid regular expression"), bad);
        String missing = failure("{\"s3_path_prefix\": \"s3://no-such-bucket-9c2e/p\"}");
        assertTrue(missing.startsWith("listing s3://no-such-bucket-9c2e/p failed: "), missing);
        assertTrue(missing.contains("404"), missing);
    }
}

package io.dartmart.domain.subscription;

import io.dartmart.domain.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListingBoundsTest {
    @Test
    void theLocationIsAFolder() {
        ListingBounds b = ListingBounds.of("s3://bkt/data", null, null, null);
        assertEquals("bkt", b.bucket());
        assertEquals("data/", b.listPrefix());
        assertTrue(b.includes("data/x.csv"));
        assertFalse(b.includes("data2/x.csv"), "a sibling folder sharing the name's start is not the dataset's");
        assertFalse(b.includes("data/folder/"), "folder markers are no files");
        assertEquals("", ListingBounds.of("s3://bkt", null, null, null).listPrefix());
        assertNull(b.startAfter(null));
    }

    @Test
    void theStartIsInclusiveAndTheEndExclusive() {
        ListingBounds b = ListingBounds.of("s3://bkt/d/", "s3://bkt/d/2026/02", "s3://bkt/d/2026/04", null);
        assertTrue(b.includes("d/2026/02"), "the start prefix itself");
        assertTrue(b.includes("d/2026/02/a"));
        assertTrue(b.includes("d/2026/03/z"));
        assertFalse(b.includes("d/2026/01/z"));
        assertFalse(b.includes("d/2026/04"), "the end prefix is excluded");
        assertFalse(b.includes("d/2026/04/a"));
        assertTrue(b.pastEnd("d/2026/05"));
        assertEquals("d/2026/0", b.startAfter(null), "S3's StartAfter is exclusive: start just short of the prefix");
        assertEquals("d/2026/03/k", b.startAfter("d/2026/03/k"), "a resumed listing goes on after its last key");
        assertEquals("d/2026/0", b.startAfter("d/1999"));
    }

    @Test
    void keysCompareByTheirUtf8BytesAsS3OrdersThem() {
        ListingBounds b = ListingBounds.of("s3://bkt/d", null, "s3://bkt/d/\uD83D\uDE00", null);
        assertTrue(b.includes("d/\uFFFD"), "U+FFFD sorts before an emoji in UTF-8, though not in UTF-16");
    }

    @Test
    void theRegexMatchesAnywhereInTheS3Path() {
        ListingBounds b = ListingBounds.of("s3://bkt/d", null, null, "^s3://bkt/d/[0-9]+\\.csv$");
        assertTrue(b.includes("d/42.csv"));
        assertFalse(b.includes("d/42.csv.gz"));
        assertTrue(ListingBounds.of("s3://bkt/d", null, null, "\\.gz").includes("d/x.gz"));
    }

    @Test
    void badBoundsNameTheField() {
        var outside = assertThrows(InvalidInputException.class,
                () -> ListingBounds.of("s3://bkt/d", "s3://other/d/1", null, null));
        assertTrue(outside.getMessage().startsWith("/data/s3_path_start_prefix_inclusive: must lie under"));
        var reversed = assertThrows(InvalidInputException.class,
                () -> ListingBounds.of("s3://bkt/d", "s3://bkt/d/b", "s3://bkt/d/a", null));
        assertTrue(reversed.getMessage().startsWith("/data/s3_path_end_prefix_exclusive:"));
        var regex = assertThrows(InvalidInputException.class, () -> ListingBounds.of("s3://bkt/d", null, null, "("));
        assertTrue(regex.getMessage().startsWith("/data/s3_path_regex_filter:"));
    }
}

package io.dartmart.local.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engines' record read back: holds from start to end, or to the death of their process. */
class HolderRecordTest {
    @TempDir
    Path dir;

    @Test
    void holdsOfTwoEnginesOverlapWhenOneStartedBeforeTheOtherEnded() throws Exception {
        Path file = dir.resolve("record");
        Files.write(file, List.of(
                "S 1000000 11 1 A 0",
                "S 1500000 12 1 A 0",
                "E 2000000 11 1 A 0 ok",
                "E 2500000 12 1 A 0 ok",
                "S 3000000 12 1 B 0",
                "E 3500000 12 1 B 0 failed",
                "S 4000000 11 1 B 0",
                "C 4100000 11 1 B s3://bucket/x.csv",
                "E 4500000 11 1 B 0 ok"));
        HolderRecord record = HolderRecord.read(file, Map.of());

        List<HolderRecord.Hold> a = record.holdsByAction.get("A");
        assertTrue(a.get(0).overlaps(a.get(1)), a::toString);
        List<HolderRecord.Hold> b = record.holdsByAction.get("B");
        assertFalse(b.get(0).overlaps(b.get(1)), "one after the other is no double hold: " + b);
        assertEquals(4, record.holds);
        assertEquals(Map.of("s3://bucket/x.csv", java.util.Set.of("B")), record.readersByPath);
    }

    @Test
    void aHoldNeverEndedLastsUntilItsProcessWasKilled() throws Exception {
        Path file = dir.resolve("record");
        Files.write(file, List.of("S 1000000 11 1 A 0", "S 3000000 12 1 A 1", "E 4000000 12 1 A 1 ok"));
        ProcessSupervisor.Life killed = new ProcessSupervisor.Life("engine-1", 11, Instant.ofEpochSecond(0));
        killed.ended = Instant.ofEpochSecond(2);
        HolderRecord record = HolderRecord.read(file, Map.of(11L, killed));

        List<HolderRecord.Hold> holds = record.holdsByAction.get("A");
        HolderRecord.Hold dead = holds.stream().filter(h -> h.pid() == 11).findFirst().orElseThrow();
        assertEquals(Instant.ofEpochSecond(2), dead.end());
        assertEquals("died", dead.outcome());
        assertFalse(holds.get(0).overlaps(holds.get(1)), "the engine after the killed one holds alone: " + holds);
    }
}

package io.dartmart.local.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engines' own record of what they ran ({@link ChaosEngine.HolderLog}), read back: each hold of an action by one
 * worker thread from its handler's start to its end, or to its process's death when it never ended; and which
 * subscription elements each action read.
 */
final class HolderRecord {
    /** One worker's hold of an action. {@code end} is null while it never ended and its process never died. */
    record Hold(String actionId, long pid, long thread, Instant start, Instant end, String outcome) {
        boolean overlaps(Hold other) {
            return (other.end == null || start.isBefore(other.end)) && (end == null || other.start.isBefore(end));
        }
    }

    final Map<String, List<Hold>> holdsByAction = new LinkedHashMap<>();
    final Map<String, Set<String>> readersByPath = new HashMap<>();
    int holds;

    static HolderRecord read(Path file, Map<Long, ProcessSupervisor.Life> lives) throws IOException {
        HolderRecord record = new HolderRecord();
        Map<String, String[]> open = new HashMap<>();
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        for (String line : lines) {
            String[] f = line.split(" ", 7);
            if (f.length < 6) {
                continue;
            }
            String holder = f[2] + "/" + f[3] + "/" + f[4];
            switch (f[0]) {
                case "S" -> {
                    String[] previous = open.put(holder, f);
                    if (previous != null) {
                        record.add(previous, null, null, lives);
                    }
                }
                case "E" -> {
                    String[] started = open.remove(holder);
                    if (started != null) {
                        record.add(started, micros(f[1]), f.length > 6 ? f[6] : "", lives);
                    }
                }
                case "C" -> record.readersByPath.computeIfAbsent(f[5], p -> new HashSet<>()).add(f[4]);
                default -> {
                }
            }
        }
        open.values().forEach(started -> record.add(started, null, null, lives));
        return record;
    }

    private void add(String[] started, Instant end, String outcome, Map<Long, ProcessSupervisor.Life> lives) {
        long pid = Long.parseLong(started[2]);
        if (end == null) {
            ProcessSupervisor.Life life = lives.get(pid);
            end = life == null ? null : life.ended;
            outcome = "died";
        }
        holdsByAction.computeIfAbsent(started[4], a -> new ArrayList<>()).add(new Hold(started[4], pid,
                Long.parseLong(started[3]), micros(started[1]), end, outcome));
        holds++;
    }

    private static Instant micros(String s) {
        long micros = Long.parseLong(s);
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
    }
}

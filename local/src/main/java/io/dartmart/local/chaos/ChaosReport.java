package io.dartmart.local.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run prints: its settings, the faults by kind with their recovery times ({@link Recovery}: p50 and max),
 * the counts the checker saw and every violated invariant.
 */
record ChaosReport(ChaosOptions options, Duration elapsed, List<FaultInjector.Fault> faults, Recovery recovery,
                   InvariantChecker.Result result, int unexpectedExits, double load) {

    void print(PrintStream out) {
        out.printf("chaos: seed %d, %d s of load, %d faults, %.0f s in all, load average %.1f on %d cores%n",
                options.seed(), options.seconds(), faults.size(), elapsed.toMillis() / 1000.0, load,
                Runtime.getRuntime().availableProcessors());
        Map<String, List<Duration>> byKind = new TreeMap<>();
        for (FaultInjector.Fault f : faults) {
            Duration d = recovery.of(f).orElse(null);
            byKind.computeIfAbsent(f.kind().name(), k -> new ArrayList<>()).add(d);
            byKind.computeIfAbsent("ALL", k -> new ArrayList<>()).add(d);
        }
        byKind.forEach((kind, times) -> out.printf("  %-18s %4d faults; recovery p50 %5.1f s, max %5.1f s%n",
                kind, times.size(),
                seconds(percentile(times, 0.5)), seconds(percentile(times, 1.0))));
        out.println("  processes that exited unasked and were restarted: " + unexpectedExits);
        result.counts().forEach((what, n) -> out.printf("  %-40s %d%n", what, n));
        if (result.violations().isEmpty()) {
            out.println("chaos: every invariant held");
        } else {
            out.println("chaos: " + result.violations().size() + " invariant violation(s):");
            result.violations().forEach(v -> out.println("  - " + v));
        }
    }

    private static Duration percentile(List<Duration> times, double p) {
        List<Duration> known = new ArrayList<>(times.stream().filter(t -> t != null).toList());
        if (known.isEmpty()) {
            return null;
        }
        Collections.sort(known);
        return known.get(Math.max(0, (int) Math.ceil(p * known.size()) - 1));
    }

    private static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toMillis() / 1000.0;
    }
}

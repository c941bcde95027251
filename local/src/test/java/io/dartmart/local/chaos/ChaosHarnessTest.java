package io.dartmart.local.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short version of {@code ./dart chaos}: the platform as separate processes, under load for 75 seconds while
 * one fault of each kind (SIGKILL, SIGSTOP past the heartbeat timeout, a clean and a crashing PostgreSQL restart) and
 * one more happen, loses nothing and does nothing twice.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ChaosHarnessTest {
    @TempDir
    Path dir;

    @Test
    void aShortChaosRunKeepsEveryInvariant() throws Exception {
        ChaosReport report = new ChaosRun(new ChaosOptions(75, 20261203L, 5), dir).run();
        report.print(System.out);

        assertEquals(List.of(), report.result().violations());
        Set<FaultInjector.Kind> kinds = report.faults().stream().map(FaultInjector.Fault::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultInjector.Kind.class)));
        assertEquals(EnumSet.allOf(FaultInjector.Kind.class), kinds, "one fault of each kind happened");
        long completed = report.result().counts().getOrDefault("runs COMPLETED", 0L);
        assertTrue(completed >= 50, "the load ran: " + report.result().counts());
        assertTrue(report.result().counts().getOrDefault("subscription batches", 0L) >= 5,
                "subscription batches ran: " + report.result().counts());
    }
}

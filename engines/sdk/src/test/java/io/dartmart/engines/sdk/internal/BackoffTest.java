package io.dartmart.engines.sdk.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @Test
    void delaysDoubleUpToTheCap() {
        Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);
        long[] expected = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (long e : expected) {
            assertEquals(e, top.next().toMillis());
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(60000, top.next().toMillis(), "stays capped after many failures");
        }
    }

    @Test
    void jitterKeepsEachDelayWithinHalfToFull() {
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
        assertEquals(500, low.next().toMillis());
        assertEquals(1000, low.next().toMillis());
        Backoff random = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 50; i++) {
            long ms = random.next().toMillis();
            assertTrue(ms >= 50 && ms <= 1000, "delay " + ms);
        }
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.999999);
        b.next();
        b.next();
        assertEquals(2, b.failures());
        b.reset();
        assertEquals(1000, b.next().toMillis());
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}

package io.dartmart.engines.sdk.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * A capped exponential delay with jitter: the n-th consecutive failure waits about {@code initial * 2^(n-1)}, never
 * more than {@code max}; each delay is drawn from [d/2, d] so that many workers do not retry in step. Not thread-safe:
 * one per loop.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} answers values in [0, 1); tests pass a fixed one. */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The delay to wait after one more failure. */
    public Duration next() {
        failures = Math.min(failures + 1, 62);
        long ceiling = initialMillis;
        for (int i = 1; i < failures && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxMillis);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half + 1)));
    }

    /** Forgets the failures: the next delay starts again from {@code initial}. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}

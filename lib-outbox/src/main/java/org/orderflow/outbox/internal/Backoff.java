package org.orderflow.outbox.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for retrying while a dependency is away: the n-th wait is drawn from
 * [c/2, c] with c = min(initial * 2^n, max), so many waiters do not retry in lock step. Not thread-safe: one per
 * retrying loop. Public for lib-messaging's consumer runtime, which retries the same way; not part of the outbox's
 * contract.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int attempt;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** The next wait, longer than the previous up to the cap. */
    public Duration next() {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt++, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** After a success: the next failure waits the initial time again. */
    public void reset() {
        attempt = 0;
    }
}

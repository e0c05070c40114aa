package org.orderflow.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * Puts the services' wall-clock timestamps (Kafka record timestamps, database columns) on this process's nanoTime
 * scale, on which the POSTs were scheduled. The services run on this machine, so they read the same wall clock.
 */
final class NanoClock {
    private final Instant wallAnchor = Instant.now();
    private final long nanoAnchor = System.nanoTime();

    long nanoTimeAt(Instant instant) {
        return nanoAnchor + Duration.between(wallAnchor, instant).toNanos();
    }

    long nanoTimeAtEpochMilli(long epochMilli) {
        return nanoTimeAt(Instant.ofEpochMilli(epochMilli));
    }
}

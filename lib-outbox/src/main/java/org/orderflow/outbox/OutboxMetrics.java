package org.orderflow.outbox;

import java.time.Duration;

/**
 * A snapshot of the outbox and its relay.
 *
 * @param active           this relay holds the database's relay lock and publishes (others stand by)
 * @param pendingRows      rows not yet acknowledged by Kafka (an instance standing by also counts those the active
 *                         relay has acknowledged and not yet deleted, for at most 100 ms)
 * @param oldestPendingAge age of the oldest of those rows; zero when there are none
 * @param parkedRows       rows Kafka refused for good, set aside in {@code outbox_parked} for an operator
 * @param publishedCount   records this relay has published since it started
 * @param parkedCount      rows this relay has parked since it started
 * @param failureCount     failed publish attempts since it started (rows stay and are retried)
 */
public record OutboxMetrics(boolean active, long pendingRows, Duration oldestPendingAge, long parkedRows, long publishedCount,
                            long parkedCount, long failureCount) {
}

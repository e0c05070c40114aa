package org.orderflow.messaging.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.orderflow.outbox.internal.Backoff;

/**
 * The retry state of one consumer's partitions: how long each paused partition waits (its backoff grows with each
 * failure in a row and is reset by a success), and how many attempts each failing record has had. Not thread-safe:
 * one per consumer loop.
 */
final class PartitionRetries {
    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<TopicPartition, Long> pausedUntilMillis = new HashMap<>();
    private final Map<TopicPartition, Backoff> backoffs = new HashMap<>();
    private final Map<RecordPosition, Integer> attempts = new HashMap<>();

    PartitionRetries(Clock clock, Duration initialBackoff, Duration maxBackoff) {
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Starts the partition's next wait, longer than its previous one; returns it. */
    Duration pause(TopicPartition partition) {
        Duration wait = backoffs.computeIfAbsent(partition, p -> new Backoff(initialBackoff, maxBackoff)).next();
        pausedUntilMillis.put(partition, clock.millis() + wait.toMillis());
        return wait;
    }

    /** The paused partitions whose wait is over; they are no longer paused. */
    List<TopicPartition> takeDue() {
        if (pausedUntilMillis.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<TopicPartition> due = new ArrayList<>();
        pausedUntilMillis.entrySet().removeIf(entry -> {
            boolean over = now >= entry.getValue();
            if (over) {
                due.add(entry.getKey());
            }
            return over;
        });
        return due;
    }

    /** Counts a failed attempt of the record at {@code position}; returns how many it has had. */
    int failed(RecordPosition position) {
        return attempts.merge(position, 1, Integer::sum);
    }

    /** The record is done with: its attempts are forgotten and its partition's next failure waits the shortest time. */
    void done(RecordPosition position) {
        attempts.remove(position);
        Backoff backoff = backoffs.get(position.partition());
        if (backoff != null) {
            backoff.reset();
        }
    }

    /** Partitions this consumer no longer owns: their state goes with them. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            pausedUntilMillis.remove(partition);
            backoffs.remove(partition);
        });
        attempts.keySet().removeIf(position -> partitions.contains(position.partition()));
    }

    void clear() {
        pausedUntilMillis.clear();
        backoffs.clear();
        attempts.clear();
    }
}

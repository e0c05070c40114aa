package org.orderflow.messaging.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets of what was applied. The records are in the inbox already, so a commit that fails or is lost
 * (crash, rebalance) only means those records come again, and the inbox skips them. Not thread-safe: one per consumer
 * loop, called on its thread (the rebalance listener runs there too, inside {@code poll}).
 */
final class OffsetCommitter {
    private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);
    /**
     * Offsets are committed at most this often: each commit is a request to the group coordinator and a write to
     * {@code __consumer_offsets}, and one per poll made up a good part of the broker's work.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private long nextCommitMillis;

    OffsetCommitter(Clock clock) {
        this.clock = clock;
        this.nextCommitMillis = clock.millis();
    }

    /** Everything up to and including {@code offset} on {@code partition} is done with. */
    void applied(TopicPartition partition, long offset) {
        uncommitted.merge(partition, new OffsetAndMetadata(offset + 1), (was, now) -> was.offset() >= now.offset() ? was : now);
    }

    /** Commits asynchronously once per {@link #COMMIT_INTERVAL}: the thread need not wait for the coordinator. */
    void commitWhenDue(Consumer<?, ?> consumer) {
        long now = clock.millis();
        if (uncommitted.isEmpty() || now < nextCommitMillis) {
            return;
        }
        consumer.commitAsync(new HashMap<>(uncommitted), (committed, failure) -> {
            if (failure != null) {
                log.warn("Offset commit failed ({}); the records will be redelivered and skipped as duplicates", failure.toString());
            }
        });
        uncommitted.clear();
        nextCommitMillis = now + COMMIT_INTERVAL.toMillis();
    }

    /** Before partitions go (rebalance, shutdown): what was applied, and the commits in flight, so fewer come again. */
    void commitNow(Consumer<?, ?> consumer) {
        try {
            consumer.commitSync(new HashMap<>(uncommitted)); // also waits for the asynchronous commits in flight
        } catch (KafkaException e) {
            log.warn("Offset commit failed ({}); the records will be redelivered and skipped as duplicates", e.toString());
        }
        uncommitted.clear();
    }

    /** Partitions lost to another member: their offsets can no longer be committed by this one. */
    void forget(Collection<TopicPartition> partitions) {
        uncommitted.keySet().removeAll(partitions);
    }

    void clear() {
        uncommitted.clear();
    }

    /** What would be committed next (for tests). */
    Map<TopicPartition, OffsetAndMetadata> pending() {
        return Map.copyOf(uncommitted);
    }
}

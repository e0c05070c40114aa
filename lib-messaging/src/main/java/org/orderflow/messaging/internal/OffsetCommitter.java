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
        keepHighest(partition, new OffsetAndMetadata(offset + 1));
    }

    /**
     * Commits asynchronously once per {@link #COMMIT_INTERVAL}: the thread need not wait for the coordinator. A commit
     * that fails (the coordinator moved with a broker, a rebalance began) is tried again with the next one: were its
     * offsets dropped, a partition that receives nothing more would show its last records as lag until the next restart.
     */
    void commitWhenDue(Consumer<?, ?> consumer) {
        long now = clock.millis();
        if (uncommitted.isEmpty() || now < nextCommitMillis) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = takeOwned(consumer);
        consumer.commitAsync(offsets, (committed, failure) -> {
            if (failure != null) {
                log.warn("Offset commit failed ({}); tried again with the next commit", failure.toString());
                offsets.forEach(this::keepHighest); // the callback runs on this loop's thread, inside poll or commitSync
            }
        });
        nextCommitMillis = now + COMMIT_INTERVAL.toMillis();
    }

    /**
     * Before partitions go (rebalance, shutdown): what was applied, and the commits in flight, so fewer come again. What
     * fails is kept for the next commit of the partitions that stay.
     */
    void commitNow(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = takeOwned(consumer);
        try {
            consumer.commitSync(offsets); // also waits for the asynchronous commits in flight
        } catch (KafkaException e) {
            log.warn("Offset commit failed ({}); tried again with the next commit, or, for a partition that goes, its records "
                    + "come again to its next owner and are skipped as duplicates", e.toString());
            offsets.forEach(this::keepHighest);
        }
    }

    /**
     * Takes what is to be committed, of the partitions the consumer still owns only: a failed commit's offsets may come
     * back after their partition was lost, and committing them there would move its new owner's position back.
     */
    private Map<TopicPartition, OffsetAndMetadata> takeOwned(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
        offsets.keySet().retainAll(consumer.assignment());
        uncommitted.clear();
        return offsets;
    }

    private void keepHighest(TopicPartition partition, OffsetAndMetadata offset) {
        uncommitted.merge(partition, offset, (was, now) -> was.offset() >= now.offset() ? was : now);
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

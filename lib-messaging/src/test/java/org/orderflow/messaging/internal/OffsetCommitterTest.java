package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.ManualClock;

class OffsetCommitterTest {
    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final TopicPartition OTHER = new TopicPartition("orders", 1);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final OffsetCommitter committer = new OffsetCommitter(clock);
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());

    @BeforeEach
    void assign() {
        consumer.assign(List.of(PARTITION, OTHER));
    }

    @Test
    void theNextOffsetAfterTheLastAppliedRecordIsCommitted() {
        committer.applied(PARTITION, 4);
        committer.applied(PARTITION, 9);
        committer.applied(PARTITION, 6); // a poll's types gathered: offsets need not come in order

        committer.commitWhenDue(consumer);

        assertThat(committed()).containsEntry(PARTITION, 10L);
    }

    @Test
    void commitsAtMostOncePerInterval() {
        committer.applied(PARTITION, 0);
        committer.commitWhenDue(consumer);
        committer.applied(PARTITION, 1);

        committer.commitWhenDue(consumer);
        assertThat(committed()).containsEntry(PARTITION, 1L);

        clock.advance(OffsetCommitter.COMMIT_INTERVAL);
        committer.commitWhenDue(consumer);
        assertThat(committed()).containsEntry(PARTITION, 2L);
    }

    @Test
    void commitNowDoesNotWaitForTheInterval() {
        committer.applied(PARTITION, 0);
        committer.commitWhenDue(consumer);
        committer.applied(PARTITION, 5);

        committer.commitNow(consumer);

        assertThat(committed()).containsEntry(PARTITION, 6L);
        assertThat(committer.pending()).isEmpty();
    }

    @Test
    void aLostPartitionIsNotCommitted() {
        committer.applied(PARTITION, 3);
        committer.applied(OTHER, 3);

        committer.forget(List.of(PARTITION));
        committer.commitNow(consumer);

        assertThat(committed()).doesNotContainKey(PARTITION).containsEntry(OTHER, 4L);
    }

    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(Set.of(PARTITION, OTHER));
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}

package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
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
    private final FailingCommits failing = new FailingCommits();

    @BeforeEach
    void assign() {
        consumer.assign(List.of(PARTITION, OTHER));
        failing.assign(List.of(PARTITION, OTHER));
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

    @Test
    void aFailedCommitIsTriedAgainWithTheNextOne() {
        committer.applied(PARTITION, 7);

        committer.commitWhenDue(failing);
        assertThat(committed(failing)).as("the coordinator moved: nothing committed").isEmpty();

        clock.advance(OffsetCommitter.COMMIT_INTERVAL);
        committer.commitWhenDue(failing);
        assertThat(committed(failing)).containsEntry(PARTITION, 8L);
    }

    @Test
    void aFailedCommitOfAPartitionNoLongerOwnedIsNotTriedAgain() {
        committer.applied(PARTITION, 7);
        committer.commitWhenDue(failing);

        failing.assign(List.of(OTHER)); // PARTITION went to another member, whose position must not move back
        committer.applied(OTHER, 2);
        clock.advance(OffsetCommitter.COMMIT_INTERVAL);
        committer.commitWhenDue(failing);

        assertThat(committed(failing)).doesNotContainKey(PARTITION).containsEntry(OTHER, 3L);
        assertThat(committer.pending()).isEmpty();
    }

    /** Fails its first asynchronous commit, as a commit in flight when the group coordinator's broker dies does. */
    private static final class FailingCommits extends MockConsumer<String, byte[]> {
        private boolean failNext = true;

        FailingCommits() {
            super(AutoOffsetResetStrategy.EARLIEST.name());
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            if (failNext) {
                failNext = false;
                callback.onComplete(offsets, new RetriableCommitFailedException("the coordinator is not available"));
                return;
            }
            super.commitAsync(offsets, callback);
        }
    }

    private Map<TopicPartition, Long> committed() {
        return committed(consumer);
    }

    private static Map<TopicPartition, Long> committed(MockConsumer<String, byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(Set.of(PARTITION, OTHER));
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}

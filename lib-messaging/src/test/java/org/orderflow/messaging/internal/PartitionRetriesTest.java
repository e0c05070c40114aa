package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.ManualClock;

class PartitionRetriesTest {
    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final TopicPartition OTHER = new TopicPartition("orders", 1);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final PartitionRetries retries = new PartitionRetries(clock, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void aPausedPartitionIsDueOnlyOnceItsWaitIsOver() {
        Duration wait = retries.pause(PARTITION);

        assertThat(wait).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(retries.takeDue()).isEmpty();
        clock.advance(wait);
        assertThat(retries.takeDue()).containsExactly(PARTITION);
        assertThat(retries.takeDue()).as("due once").isEmpty();
    }

    @Test
    void failuresInARowWaitLongerUpToTheLongestAndASuccessStartsOver() {
        Duration first = retries.pause(PARTITION);
        Duration waits = Duration.ZERO;
        for (int i = 0; i < 10; i++) {
            waits = retries.pause(PARTITION);
        }
        assertThat(waits).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)).isGreaterThan(first);

        retries.done(new RecordPosition(PARTITION, 7));

        assertThat(retries.pause(PARTITION)).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void attemptsAreCountedPerRecordAndForgottenWhenItIsDone() {
        RecordPosition seven = new RecordPosition(PARTITION, 7);
        RecordPosition eight = new RecordPosition(PARTITION, 8);

        assertThat(retries.failed(seven)).isEqualTo(1);
        assertThat(retries.failed(seven)).isEqualTo(2);
        assertThat(retries.failed(eight)).isEqualTo(1);
        retries.done(seven);

        assertThat(retries.failed(seven)).isEqualTo(1);
    }

    @Test
    void aRevokedPartitionTakesItsStateWithIt() {
        RecordPosition onRevoked = new RecordPosition(PARTITION, 7);
        RecordPosition onKept = new RecordPosition(OTHER, 7);
        retries.failed(onRevoked);
        retries.failed(onKept);
        retries.pause(PARTITION);

        retries.forget(List.of(PARTITION));
        clock.advance(Duration.ofMinutes(1));

        assertThat(retries.takeDue()).isEmpty();
        assertThat(retries.failed(onRevoked)).isEqualTo(1);
        assertThat(retries.failed(onKept)).isEqualTo(2);
    }
}

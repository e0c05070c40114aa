package org.orderflow.messaging.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the records of one poll: all in one transaction; if that fails for a reason that is not transient, each
 * record in a transaction of its own, so that one bad record fails alone. A record that keeps failing is retried with
 * its partition paused, up to the attempts allowed, then dead-lettered; a transient failure is retried without limit.
 * What is done with is handed to the {@link OffsetCommitter}.
 */
final class PollApplier {
    private static final Logger log = LoggerFactory.getLogger(PollApplier.class);

    private final Jdbi jdbi;
    private final BatchApplier batches;
    private final EventDecoder decoder;
    private final DeadLetterWriter deadLetterWriter;
    private final PartitionRetries retries;
    private final OffsetCommitter committer;
    private final int maxAttempts;
    private final ConsumerMeters meters;
    private final Clock clock;

    PollApplier(Jdbi jdbi, BatchApplier batches, EventDecoder decoder, DeadLetterWriter deadLetterWriter, PartitionRetries retries,
                OffsetCommitter committer, int maxAttempts, ConsumerMeters meters, Clock clock) {
        this.jdbi = jdbi;
        this.batches = batches;
        this.decoder = decoder;
        this.deadLetterWriter = deadLetterWriter;
        this.retries = retries;
        this.committer = committer;
        this.maxAttempts = maxAttempts;
        this.meters = meters;
        this.clock = clock;
    }

    void apply(Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
        long polledAt = clock.millis();
        List<Item> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            decoded.add(decode(record));
        }
        List<Item> items = ApplyOrder.typesTogether(decoded);
        if (items.stream().allMatch(batches::passesOver)) {
            done(items, Applied.passingOver(items), polledAt);
            return;
        }
        Applied applied;
        try {
            applied = jdbi.inTransaction(handle -> batches.apply(handle, items));
        } catch (Exception failure) {
            meters.batchFailed();
            if (Failures.isTransient(failure)) {
                retryLater(consumer, items, failure);
            } else {
                log.debug("A batch of {} failed ({}); applying its records one at a time", items.size(), failure.toString());
                applyOneByOne(consumer, items, polledAt);
            }
            return;
        }
        done(items, applied, polledAt);
    }

    private Item decode(ConsumerRecord<String, byte[]> record) {
        try {
            return new Item(record, decoder.decode(record), null);
        } catch (PoisonRecordException poison) {
            return new Item(record, null, poison);
        } catch (RuntimeException unexpected) {
            // Whatever a record makes the decoder throw, the same record would make it throw again.
            return new Item(record, null, new PoisonRecordException("Record cannot be decoded: " + unexpected, unexpected));
        }
    }

    /** After a failed batch: each record in its own transaction, partition by partition, in order. */
    private void applyOneByOne(Consumer<String, byte[]> consumer, List<Item> items, long polledAt) {
        Map<TopicPartition, List<Item>> byPartition = new LinkedHashMap<>();
        items.forEach(item -> byPartition.computeIfAbsent(item.partition(), p -> new ArrayList<>()).add(item));
        byPartition.forEach((partition, partitionItems) -> {
            for (Item item : partitionItems) {
                if (!applyAlone(item, polledAt)) {
                    pauseAt(consumer, item.position()); // the records after it wait: per-key order holds
                    return;
                }
            }
        });
    }

    /** True when the record is done with (applied, duplicate or dead-lettered); false to retry it later. */
    private boolean applyAlone(Item item, long polledAt) {
        if (batches.passesOver(item)) {
            done(List.of(item), Applied.passingOver(List.of(item)), polledAt);
            return true;
        }
        try {
            Applied applied = jdbi.inTransaction(handle -> batches.apply(handle, List.of(item)));
            done(List.of(item), applied, polledAt);
            return true;
        } catch (Exception failure) {
            if (Failures.isTransient(failure)) {
                meters.record(item, ConsumerMeters.Outcome.RETRIED);
                log.warn("Transient failure applying {} at {}; will retry: {}", item.inboxId(), item.position(), failure.toString());
                return false;
            }
            int attempt = retries.failed(item.position());
            if (item.isPoison() || Failures.isPoison(failure) || attempt >= maxAttempts) {
                // For a poison record, what failed was storing its dead letter.
                return deadLetter(item, item.isPoison() ? item.poison() : failure, attempt);
            }
            meters.record(item, ConsumerMeters.Outcome.RETRIED);
            log.warn("Attempt {} of {} failed for event {} at {}; will retry: {}", attempt, maxAttempts, item.inboxId(),
                    item.position(), failure.toString());
            return false;
        }
    }

    /** Dead-letters the record ({@link DeadLetterWriter}); false when that must be retried later. */
    private boolean deadLetter(Item item, Throwable failure, int attempt) {
        if (!deadLetterWriter.write(item, failure, attempt)) {
            return false;
        }
        meters.record(item, ConsumerMeters.Outcome.DEAD_LETTERED);
        finished(item);
        return true;
    }

    private void done(List<Item> items, Applied applied, long polledAt) {
        applied.duplicates.forEach(item -> meters.record(item, ConsumerMeters.Outcome.DUPLICATE));
        applied.passedOver.forEach(item -> meters.record(item, ConsumerMeters.Outcome.PASSED_OVER));
        for (Item item : applied.deadLettered) {
            meters.record(item, ConsumerMeters.Outcome.DEAD_LETTERED);
            log.error("Dead-lettered record at {}: {}", item.position(), item.poison().getMessage());
        }
        long now = clock.millis();
        for (Item item : applied.applied) {
            meters.applied(item, now, polledAt);
        }
        items.forEach(this::finished);
    }

    private void finished(Item item) {
        retries.done(item.position());
        committer.applied(item.partition(), item.record().offset());
    }

    /** A transient failure of the whole batch: every partition goes back to its first record and waits. */
    private void retryLater(Consumer<String, byte[]> consumer, List<Item> items, Exception failure) {
        Map<TopicPartition, RecordPosition> firsts = new LinkedHashMap<>();
        items.forEach(item -> firsts.putIfAbsent(item.partition(), item.position()));
        firsts.values().forEach(position -> pauseAt(consumer, position));
        log.warn("Transient failure applying {} records ({}); partitions {} paused, will retry", items.size(), failure.toString(),
                firsts.keySet());
    }

    private void pauseAt(Consumer<String, byte[]> consumer, RecordPosition position) {
        consumer.seek(position.partition(), position.offset());
        consumer.pause(List.of(position.partition()));
        retries.pause(position.partition());
    }
}

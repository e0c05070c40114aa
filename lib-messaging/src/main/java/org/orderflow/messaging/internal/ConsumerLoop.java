package org.orderflow.messaging.internal;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.orderflow.outbox.internal.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread: the poll loop and the Kafka consumer's life. What a poll's records become is the
 * {@link PollApplier}'s job, when a paused partition resumes the {@link PartitionRetries}', and what is committed the
 * {@link OffsetCommitter}'s. See {@link org.orderflow.messaging.consumer.EventConsumer} for the contract.
 */
final class ConsumerLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final List<String> topics;
    private final PollApplier applier;
    private final PartitionRetries retries;
    private final OffsetCommitter committer;
    private final Backoff backoff;
    private final ConsumerMeters meters;

    private Consumer<String, byte[]> consumer;
    private KafkaClientMetrics clientMetrics;
    private volatile boolean running = true;
    private volatile String problem;

    /**
     * {@code consumers} builds the Kafka consumer, on this loop's thread: again after the one in use failed. Its client
     * metrics are bound to the meters' registry while it lives.
     */
    ConsumerLoop(Supplier<Consumer<String, byte[]>> consumers, List<String> topics, PollApplier applier, PartitionRetries retries,
                 OffsetCommitter committer, Backoff backoff, ConsumerMeters meters) {
        this.consumers = consumers;
        this.topics = List.copyOf(topics);
        this.applier = applier;
        this.retries = retries;
        this.committer = committer;
        this.backoff = backoff;
        this.meters = meters;
    }

    /**
     * Polls and applies until stopped. A fatal Kafka error (authorization, unsupported version, fenced) ends the loop
     * and stays in {@link #problem()}; any other failure, the consumer's constructor included, is logged, shown in
     * {@link #problem()} until a poll succeeds again, and retried with a new consumer after a backoff.
     */
    @Override
    public void run() {
        try {
            while (running) {
                try {
                    pollAndApply();
                    problem = null;
                    backoff.reset();
                } catch (RuntimeException e) {
                    if (Failures.isFatal(e)) {
                        problem = "fatal Kafka error: " + e;
                        log.error("Consumer of {} stopped; /ready fails until it is restarted", topics, e);
                        return;
                    }
                    problem = "consumer failing, retrying: " + e;
                    meters.pollFailed();
                    Duration wait = backoff.next();
                    log.warn("Consumer of {} failed; a new consumer in {} ms", topics, wait.toMillis(), e);
                    closeConsumer();
                    sleep(wait);
                }
            }
        } catch (Error e) {
            problem = "consumer thread ended: " + e;
            log.error("Consumer of {} ended; /ready fails until the service is restarted", topics, e);
            throw e;
        } finally {
            closeConsumer();
        }
    }

    private void pollAndApply() {
        if (consumer == null) {
            consumer = consumers.get();
            consumer.subscribe(topics, new RevokedPartitions(consumer, committer, retries, meters));
            clientMetrics = new KafkaClientMetrics(consumer);
            clientMetrics.bindTo(meters.registry());
        }
        for (var partition : retries.takeDue()) {
            if (consumer.assignment().contains(partition)) {
                consumer.resume(List.of(partition));
            }
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
            applier.apply(consumer, records);
        }
        committer.commitWhenDue(consumer);
        updateLag();
    }

    /** Commits what was applied and leaves the group; the retry state goes with the partitions. */
    private void closeConsumer() {
        if (consumer == null) {
            return;
        }
        clientMetrics.close();
        clientMetrics = null;
        consumer.assignment().forEach(meters::lost);
        try {
            committer.commitNow(consumer);
            // A static member would otherwise stay in the group, its partitions unread, until its session expires.
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            log.debug("Closing the consumer failed", e);
        }
        consumer = null;
        retries.clear();
        committer.clear();
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops after the batch in hand is applied and committed. */
    void stop() {
        running = false;
    }

    String problem() {
        return problem;
    }

    /** Each partition's lag, from the consumer's own fetch positions (no request to the broker). */
    private void updateLag() {
        for (TopicPartition partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(records -> meters.lag(partition, records));
        }
    }
}

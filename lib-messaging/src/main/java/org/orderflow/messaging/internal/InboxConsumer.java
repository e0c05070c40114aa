package org.orderflow.messaging.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.consumer.ConsumerMetrics;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.outbox.internal.Backoff;

/**
 * The {@link EventConsumer}: {@code threads} consumer loops in the service's group, and one in its follow-up group
 * when it has follow-up topics, all sharing one set of meters; and one inbox cleaner.
 */
public final class InboxConsumer implements EventConsumer {
    /** About a poll's worth: 500 records of some 700 bytes each (an event with its headers). */
    private static final int GATHERED_BYTES = 512 * 1024;

    private final Jdbi jdbi;
    private final EventPublisher publisher;
    private final EventRouter router;
    private final ConsumerSettings settings;
    private final ConsumerMeters meters;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private InboxCleaner cleaner;

    public InboxConsumer(Jdbi jdbi, EventPublisher publisher, EventRouter router, ConsumerSettings settings) {
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.router = router;
        this.settings = settings;
        this.meters = new ConsumerMeters(settings.meterRegistry());
    }

    @Override
    public synchronized EventConsumer start() {
        if (!loops.isEmpty()) {
            throw new IllegalStateException("Consumer already started");
        }
        EventDecoder decoder = new EventDecoder(new EventSchemas(), settings.typeByTopic());
        DeadLetters deadLetters = new DeadLetters(settings.service(), settings.service(), settings.clock());
        // The service's publisher, as the runtime appends through it: handlers' events and dead letters as outbox rows.
        CloudEventPublisher appender = publisher instanceof CloudEventPublisher cloudEvents ? cloudEvents
                : new CloudEventPublisher(publisher.source(), publisher.outbox(), settings.clock(), settings.openTelemetry());
        BatchApplier batches = new BatchApplier(router, appender, deadLetters, new EventTracing(settings.openTelemetry()));
        DeadLetterWriter deadLetterWriter = new DeadLetterWriter(jdbi, appender, deadLetters);
        for (int index = 0; index < settings.threads(); index++) {
            start(settings.service(), "-" + index, settings.topics(), settings.fetchWait(), decoder, batches, deadLetterWriter);
        }
        if (!settings.followUpTopics().isEmpty()) {
            start(settings.service() + ConsumerSettings.FOLLOW_UPS, ConsumerSettings.FOLLOW_UPS, settings.followUpTopics(),
                    settings.followUpFetchWait(), decoder, batches, deadLetterWriter);
        }
        cleaner = new InboxCleaner(jdbi, settings.inboxRetention(), settings.service()).start();
        return this;
    }

    /** One consumer loop on a thread of its own; {@code suffix} tells its client id and thread apart. */
    private void start(String group, String suffix, List<String> topics, Duration fetchWait, EventDecoder decoder,
                       BatchApplier batches, DeadLetterWriter deadLetterWriter) {
        Map<String, Object> properties = settings.kafkaProperties().forConsumer(consumerProperties(group, suffix, fetchWait));
        PartitionRetries retries = new PartitionRetries(settings.clock(), settings.initialBackoff(), settings.maxBackoff());
        OffsetCommitter committer = new OffsetCommitter(settings.clock());
        PollApplier applier = new PollApplier(jdbi, batches, decoder, deadLetterWriter, retries, committer, settings.maxAttempts(),
                meters, settings.clock());
        ConsumerLoop loop = new ConsumerLoop(() -> new KafkaConsumer<>(properties), topics, applier, retries, committer,
                new Backoff(settings.initialBackoff(), settings.maxBackoff()), meters);
        Thread thread = new Thread(loop, settings.service() + "-consumer" + suffix);
        loops.add(loop);
        threads.add(thread);
        thread.start();
    }

    private Map<String, Object> consumerProperties(String group, String clientSuffix, Duration fetchWait) {
        String clientId = settings.instanceId().orElse(settings.service()) + clientSuffix;
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        // Bytes, not JSON: an undecodable value must reach our code (and the dead-letter queue), not kill the poll.
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Offsets are committed by hand, only after the transaction that applied the records has committed.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group starts at the oldest record: events published before the service first started are not lost.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One poll is one database transaction: bounded so that a batch commits in tens of milliseconds.
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        // When an instance joins or leaves, only the partitions that move are revoked (each committed first, see
        // ConsumerLoop); the others keep being consumed through the rebalance instead of all stopping for it.
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // A static member restarted within the session timeout (kill -9, a deployment) takes back its partitions
        // without a rebalance; one that stops on purpose leaves the group at once (ConsumerLoop closes it so).
        settings.instanceId().ifPresent(instance -> properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance + clientSuffix));
        if (fetchWait.isZero()) {
            // The broker answers a fetch at the first record, and holds an empty one for up to 500 ms. Gathering
            // records for a few milliseconds instead (fetch.min.bytes 8 KiB, fetch.max.wait.ms 5) added that wait to
            // every hop and made every idle consumer fetch 200 times a second: a third of the idle stack's CPU.
            properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        } else {
            // The broker holds the fetch for the whole wait unless a full poll's worth of records came first: at
            // 100 orders/s a poll then carries tens of events, which cost one transaction instead of one each.
            properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, GATHERED_BYTES);
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) fetchWait.toMillis());
        }
        return properties;
    }

    @Override
    public Optional<String> problem() {
        return loops.stream().map(ConsumerLoop::problem).filter(Objects::nonNull).findFirst();
    }

    @Override
    public ConsumerMetrics metrics() {
        return meters.snapshot();
    }

    @Override
    public void close() {
        if (cleaner != null) {
            cleaner.close();
        }
        loops.forEach(ConsumerLoop::stop);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        meters.close();
    }
}

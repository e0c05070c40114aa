package org.orderflow.messaging.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter topic ({@link DeadLetter#TOPIC}) as an operator sees it: read without a consumer group (nothing is
 * committed, so reading changes nothing) from a time, the beginning or the last few up to its end as it was when the
 * read began; and replays, sent with an idempotent, acks=all producer. Reads wait {@value #READ_TIMEOUT_SECONDS} s at
 * most. Not thread-safe (it holds a Kafka consumer): open one per use, and close it.
 */
public final class DeadLetterQueue implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int READ_TIMEOUT_SECONDS = 60;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(READ_TIMEOUT_SECONDS);

    private final Map<String, Object> producerSettings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * {@code consumerSettings} and {@code producerSettings}: the cluster's address and the client properties of its
     * security (TLS, SASL); the serialisation, group and delivery settings are this class's own.
     */
    public DeadLetterQueue(Map<String, Object> consumerSettings, Map<String, Object> producerSettings) {
        this.producerSettings = producerSettings;
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // No group: an operator's look must not move any group's offsets.
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(settings);
    }

    /** Every dead letter written at or after {@code since}. */
    public List<DeadLetter> readSince(Instant since) {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, Long> times = partitions.stream().collect(Collectors.toMap(p -> p, p -> since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, READ_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(p -> from.put(p, starts.get(p) == null ? ends.get(p) : starts.get(p).offset()));
        return read(from, ends);
    }

    /** Every dead letter the topic still holds. */
    public List<DeadLetter> readAll() {
        List<TopicPartition> partitions = partitions();
        return read(consumer.beginningOffsets(partitions, READ_TIMEOUT), consumer.endOffsets(partitions, READ_TIMEOUT));
    }

    /**
     * The {@code count} dead letters written last, the newest first: the last {@code count} of each partition, merged
     * by the time they were written.
     */
    public List<DeadLetter> readLatest(int count) {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, READ_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(p -> from.put(p, Math.max(beginnings.get(p), ends.get(p) - count)));
        return read(from, ends).stream().sorted(Comparator.comparingLong(DeadLetter::timestamp).reversed()).limit(count).toList();
    }

    /**
     * The dead letter at {@code <partition>@<offset>}; empty when there is none (never written, or expired).
     *
     * @throws IllegalArgumentException when {@code id} is not of that form
     */
    public Optional<DeadLetter> read(String id) {
        Optional<long[]> position = DeadLetter.position(id);
        if (position.isEmpty()) {
            throw new IllegalArgumentException("'" + id + "' is not a dead letter id: <partition>@<offset>");
        }
        TopicPartition partition = new TopicPartition(DeadLetter.TOPIC, (int) position.get()[0]);
        if (!partitions().contains(partition)) {
            return Optional.empty();
        }
        long offset = position.get()[1];
        long first = consumer.beginningOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        if (offset < first || offset >= end) {
            return Optional.empty();
        }
        return read(Map.of(partition, offset), Map.of(partition, offset + 1)).stream().findFirst();
    }

    /**
     * Sends the dead letter's original record back to its topic ({@link DeadLetter#replay()}); where it landed.
     *
     * @throws IllegalStateException when the dead letter cannot be replayed (a minimal one)
     */
    public RecordMetadata replay(DeadLetter deadLetter) throws Exception {
        if (producer == null) {
            Map<String, Object> settings = new HashMap<>(producerSettings);
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(settings);
        }
        return producer.send(deadLetter.replay()).get();
    }

    private List<TopicPartition> partitions() {
        return consumer.partitionsFor(DeadLetter.TOPIC, READ_TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private List<DeadLetter> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        from.forEach((partition, offset) -> {
            if (offset < to.get(partition)) {
                remaining.put(partition, to.get(partition));
            }
        });
        consumer.assign(remaining.keySet());
        remaining.keySet().forEach(partition -> consumer.seek(partition, from.get(partition)));
        List<DeadLetter> deadLetters = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Long end = remaining.get(partition);
                if (end != null && record.offset() < end) {
                    deadLetters.add(DeadLetter.of(record));
                }
            }
            remaining.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
        }
        if (!remaining.isEmpty()) {
            throw new IllegalStateException("The dead-letter topic could not be read to its end within " + READ_TIMEOUT.toSeconds() + " s");
        }
        return deadLetters;
    }

    @Override
    public void close() {
        consumer.close();
        if (producer != null) {
            producer.close();
        }
    }
}

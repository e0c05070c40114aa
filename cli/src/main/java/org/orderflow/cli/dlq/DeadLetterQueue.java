package org.orderflow.cli.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.orderflow.contract.Topics;
import org.orderflow.messaging.dlq.DeadLetter;
import org.orderflow.outbox.KafkaClientProperties;

/**
 * The dead-letter topic, read without a consumer group (nothing is committed, so reading changes nothing) from a time
 * or the beginning up to its end as it was when the read began; and replays sent with an idempotent, acks=all
 * producer.
 */
final class DeadLetterQueue implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final KafkaClientProperties kafkaProperties;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;

    DeadLetterQueue(String bootstrapServers, KafkaClientProperties kafkaProperties) {
        this.bootstrapServers = bootstrapServers;
        this.kafkaProperties = kafkaProperties;
        this.consumer = new KafkaConsumer<>(kafkaProperties.forConsumer(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // No group: an operator's look must not move any group's offsets.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)));
    }

    /** Every dead letter written at or after {@code since}. */
    List<DeadLetter> readSince(Instant since) {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, Long> times = partitions.stream().collect(Collectors.toMap(p -> p, p -> since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, READ_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(p -> from.put(p, starts.get(p) == null ? ends.get(p) : starts.get(p).offset()));
        return read(from, ends);
    }

    /** Every dead letter the topic still holds. */
    List<DeadLetter> readAll() {
        List<TopicPartition> partitions = partitions();
        return read(consumer.beginningOffsets(partitions, READ_TIMEOUT), consumer.endOffsets(partitions, READ_TIMEOUT));
    }

    /** The dead letter at {@code <partition>@<offset>}; empty when there is none (never written, or expired). */
    Optional<DeadLetter> read(String id) {
        Optional<long[]> position = DeadLetter.position(id);
        if (position.isEmpty()) {
            throw new IllegalArgumentException("'" + id + "' is not a dead letter id: <partition>@<offset>, as `orderflow dlq list` shows");
        }
        TopicPartition partition = new TopicPartition(Topics.DEAD_LETTER_QUEUE, (int) position.get()[0]);
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

    /** Sends the dead letter's original record back to its topic; where it landed. */
    RecordMetadata replay(DeadLetter deadLetter) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(kafkaProperties.forProducer(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
        }
        return producer.send(deadLetter.replay()).get();
    }

    private List<TopicPartition> partitions() {
        return consumer.partitionsFor(Topics.DEAD_LETTER_QUEUE, READ_TIMEOUT).stream()
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

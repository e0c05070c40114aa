package org.orderflow.devstack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka for tests: topics, a plain producer, and reading what landed on a topic with a deadline. */
public final class TestKafka {
    private final String bootstrapServers;

    public TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Creates a fresh topic with a unique name and returns the name. */
    public String newTopic(String prefix, int partitions) {
        String topic = RealServers.uniqueTopic(prefix);
        Topics.ensure(bootstrapServers, partitions, (short) 1, List.of(topic));
        return topic;
    }

    public void createTopics(Collection<String> names, int partitions) {
        Topics.ensure(bootstrapServers, partitions, (short) 1, names);
    }

    /** Sends one record (headers may be empty) and waits for the acknowledgement. */
    public void send(String topic, String key, String value, Map<String, String> headers) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, headerValue) -> record.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (Exception e) {
            throw new StackException("Cannot send to " + topic, e);
        }
    }

    /** Sends the values without key or headers through one producer, as fast as it goes, and waits for them all. */
    public void sendAll(String topic, List<String> values) {
        sendAll(topic, values, Duration.ZERO);
    }

    /** As {@link #sendAll(String, List)}, from a producer whose clock is {@code clockSkew} ahead (the records' timestamps). */
    public void sendAll(String topic, List<String> values, Duration clockSkew) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            long timestamp = System.currentTimeMillis() + clockSkew.toMillis();
            values.forEach(value -> sent.add(producer.send(new ProducerRecord<>(topic, null, timestamp, null, value))));
            for (java.util.concurrent.Future<?> record : sent) {
                record.get();
            }
        } catch (Exception e) {
            throw new StackException("Cannot send to " + topic, e);
        }
    }

    /** Sends one record exactly as given (any bytes in key, value and headers) and waits for the acknowledgement. */
    public void sendRaw(ProducerRecord<byte[], byte[]> record) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class))) {
            producer.send(record).get();
        } catch (Exception e) {
            throw new StackException("Cannot send to " + record.topic(), e);
        }
    }

    /** Reads the topic from the beginning until {@code count} records arrived or the timeout passed. */
    public List<Received> read(String topic, int count, Duration timeout) {
        return read(topic, record -> true, count, timeout);
    }

    /** Reads the topic from the beginning until {@code count} records that match arrived or the timeout passed. */
    public List<Received> read(String topic, java.util.function.Predicate<Received> matching, int count, Duration timeout) {
        return readRecords(topic, record -> matching.test(Received.of(record)), count, timeout).stream().map(Received::of).toList();
    }

    /** As {@link #read}, the records exactly as they are: key, value and headers as bytes. */
    public List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> matching,
                                                            int count, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (matching.test(record)) {
                        received.add(record);
                    }
                }
            }
            return received;
        }
    }

    /** Reads for the whole {@code window}: for asserting that nothing (more) arrives. */
    public List<Received> readAll(String topic, Duration window) {
        return read(topic, Integer.MAX_VALUE, window);
    }

    /** The offset the consumer group committed on one partition (the next record it will read), -1 when none. */
    public long committedOffset(String group, String topic, int partition) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(topicPartition);
            return committed == null ? -1 : committed.offset();
        } catch (Exception e) {
            throw new StackException("Cannot read the offsets of " + group, e);
        }
    }

    /** A record as read back: key, value, headers as strings and as sent (in order, bytes), and where it was. */
    public record Received(String key, String value, Map<String, String> headers, List<Map.Entry<String, byte[]>> headerBytes,
                           int partition, long offset) {
        static Received of(ConsumerRecord<byte[], byte[]> record) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            List<Map.Entry<String, byte[]>> headerBytes = new ArrayList<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
                headerBytes.add(new java.util.AbstractMap.SimpleImmutableEntry<>(header.key(), header.value()));
            }
            return new Received(text(record.key()), text(record.value()), headers, headerBytes, record.partition(), record.offset());
        }

        private static String text(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

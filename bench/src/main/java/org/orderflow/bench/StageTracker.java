package org.orderflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.orderflow.messaging.Topics;

/**
 * Watches the pipeline's topics (no consumer group, from their ends) and notes when each order reached each stage:
 * the moment its event arrived here, on this process's nanoTime clock. Thread-safe to read.
 */
final class StageTracker implements AutoCloseable {
    /** The stages after the POST, in pipeline order. */
    enum Stage { CONFIRMED, PICKED_AND_PACKED, SHIPPED, NOTIFIED }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, long[]> reached = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    StageTracker(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                // An observer: it reads what arrives from now on and commits nothing.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.ORDER_CONFIRMED, Topics.ORDER_PICKED_AND_PACKED, Topics.ORDER_SHIPPED, Topics.NOTIFICATION)) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before the load starts
        thread = new Thread(this::run, "stage-tracker");
        thread.start();
    }

    /** The nanoTime at which the order reached the stage, or 0. */
    long reachedAt(String orderId, Stage stage) {
        long[] times = reached.get(orderId);
        return times == null ? 0 : times[stage.ordinal()];
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                long now = System.nanoTime();
                Stage stage = stageOf(record);
                if (stage != null && record.key() != null) {
                    long[] times = reached.computeIfAbsent(record.key(), key -> new long[Stage.values().length]);
                    if (times[stage.ordinal()] == 0) {
                        times[stage.ordinal()] = now;
                    }
                }
            }
        }
        consumer.close();
    }

    private static Stage stageOf(ConsumerRecord<String, byte[]> record) {
        return switch (record.topic()) {
            case Topics.ORDER_CONFIRMED -> Stage.CONFIRMED;
            case Topics.ORDER_PICKED_AND_PACKED -> Stage.PICKED_AND_PACKED;
            case Topics.ORDER_SHIPPED -> Stage.SHIPPED;
            // The last notification of a shipped order: the customer is being told.
            case Topics.NOTIFICATION -> new String(record.value(), StandardCharsets.UTF_8).contains("\"kind\":\"ORDER_SHIPPED\"") ? Stage.NOTIFIED : null;
            default -> null;
        };
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}

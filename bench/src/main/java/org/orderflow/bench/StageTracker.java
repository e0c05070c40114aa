package org.orderflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.orderflow.contract.Topics;

/**
 * Watches the pipeline's topics (no consumer group, from their ends) and notes when each order reached each stage:
 * the timestamp of its event, which the publishing service's outbox relay took when it sent the record, put on this
 * process's nanoTime clock ({@link NanoClock}). NOTIFIED is filled in from svc-notification's database
 * ({@link NotificationTimes}). Thread-safe.
 *
 * <p>Reading the time from the record rather than from its arrival here lets this consumer fetch in batches: fetching
 * every record as it came took a tenth of a core at 100 orders/s, on the machine under test. It leaves out the
 * broker's delivery to a consumer, and the record timestamp has millisecond resolution.
 */
final class StageTracker implements AutoCloseable {
    /**
     * The stages after the POST, in pipeline order. PUBLISHED: svc-order's relay sent the order's OrderReceived, so
     * that each of the four hops shows apart (svc-order's commit and relay, then each step's consumer, commit and relay).
     */
    enum Stage { PUBLISHED, CONFIRMED, PICKED_AND_PACKED, SHIPPED, NOTIFIED }

    private static final Duration FETCH_WAIT = Duration.ofMillis(200);

    private final NanoClock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, long[]> reached = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    StageTracker(String bootstrapServers, NanoClock clock) {
        this.clock = clock;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                // An observer: it reads what arrives from now on and commits nothing.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Gathers for up to FETCH_WAIT: the stage times are in the records.
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_WAIT.toMillis()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.ORDER_RECEIVED, Topics.ORDER_CONFIRMED, Topics.ORDER_PICKED_AND_PACKED, Topics.ORDER_SHIPPED)) {
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

    /** Notes that the order reached the stage at {@code nanoTime}, unless it was noted before. */
    void record(String orderId, Stage stage, long nanoTime) {
        long[] times = reached.computeIfAbsent(orderId, key -> new long[Stage.values().length]);
        synchronized (times) {
            if (times[stage.ordinal()] == 0) {
                times[stage.ordinal()] = nanoTime;
            }
        }
    }

    /**
     * Drops what was noted of these orders: a step's orders are measured once. Kept, a ten-minute warm-up's 180,000
     * orders filled the load generator's heap, and its collector paused it for tens of milliseconds at a time, during
     * which no order was sent (every latency counts from its scheduled time, so its pauses were measured as the
     * stack's).
     */
    void forget(Collection<String> orderIds) {
        orderIds.forEach(reached::remove);
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(FETCH_WAIT)) {
                if (record.key() != null) {
                    record(record.key(), stageOf(record.topic()), clock.nanoTimeAtEpochMilli(record.timestamp()));
                }
            }
        }
        consumer.close();
    }

    private static Stage stageOf(String topic) {
        return switch (topic) {
            case Topics.ORDER_RECEIVED -> Stage.PUBLISHED;
            case Topics.ORDER_CONFIRMED -> Stage.CONFIRMED;
            case Topics.ORDER_PICKED_AND_PACKED -> Stage.PICKED_AND_PACKED;
            default -> Stage.SHIPPED;
        };
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}

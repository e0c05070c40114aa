package org.orderflow.bench.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Orders typed into OrderReceived the way kafka-console-producer sends them: the seed's payload, no key, no headers.
 * A send that fails (a broker down, no leader yet) is sent again until it is acknowledged by all in-sync replicas or
 * the deadline passes: the order is accepted once Kafka has it.
 */
final class TypedOrders implements AutoCloseable {
    private static final String TOPIC = "OrderReceived";

    private final KafkaProducer<String, String> producer;
    // send() may block for metadata while brokers are down: never on the thread that keeps the load's schedule.
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "chaos-typed-orders"));
    final LongAdder retries = new LongAdder();

    TypedOrders(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
    }

    /** True once Kafka acknowledged the payload, false if it did not before {@code deadlineNanos}. */
    CompletableFuture<Boolean> send(String payload, long deadlineNanos) {
        CompletableFuture<Boolean> acknowledged = new CompletableFuture<>();
        sender.execute(() -> attempt(payload, deadlineNanos, acknowledged));
        return acknowledged;
    }

    private void attempt(String payload, long deadlineNanos, CompletableFuture<Boolean> acknowledged) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, payload), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.complete(true);
                } else {
                    again(payload, deadlineNanos, acknowledged);
                }
            });
        } catch (RuntimeException e) {
            again(payload, deadlineNanos, acknowledged);
        }
    }

    private void again(String payload, long deadlineNanos, CompletableFuture<Boolean> acknowledged) {
        if (System.nanoTime() > deadlineNanos) {
            acknowledged.complete(false);
            return;
        }
        retries.increment();
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, sender).execute(() -> attempt(payload, deadlineNanos, acknowledged));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        sender.shutdownNow();
    }
}

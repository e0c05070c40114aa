package org.orderflow.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.devstack.Topics;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.TimeOrderedUuid;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.messaging.consumer.EventHandler;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxMessage;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.RelayConfig;
import org.orderflow.outbox.internal.ProducerSettings;
import org.orderflow.service.Database;
import org.orderflow.service.config.CommonConfig.DatabaseConfig;

/**
 * {@code make bench-messaging}: the outbox relay draining a backlog, the consumer runtime applying records with
 * inbox and outbox, and the hop latency from a producing commit to the consuming handler, on real Kafka and
 * PostgreSQL servers with durable settings. Prints its figures; asserts nothing.
 *
 * <p>Sizes: BENCH_BACKLOG (200000), BENCH_CONSUMER_RECORDS (100000), BENCH_CONSUMER_THREADS (1), BENCH_RATE (500/s),
 * BENCH_SECONDS (30).
 */
public final class MessagingBenchmark {
    private static final String CANCELLED = """
            {"order_id":"%s","customer_id":"cust-%d","reason":"changed my mind about the blue one","cancelled_by":"CUSTOMER",\
            "timestamp":"2026-11-23T10:00:00Z"}""";

    private final BenchServers servers;

    private MessagingBenchmark(BenchServers servers) {
        this.servers = servers;
    }

    public static void main(String[] args) throws Exception {
        int backlog = setting("BENCH_BACKLOG", 200_000);
        int consumerRecords = setting("BENCH_CONSUMER_RECORDS", 100_000);
        int consumerThreads = setting("BENCH_CONSUMER_THREADS", 1);
        int rate = setting("BENCH_RATE", 500);
        int seconds = setting("BENCH_SECONDS", 30);
        System.out.printf("orderflow messaging benchmark: %d cores, JVM %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Instant.now());
        System.out.println("Starting Kafka and PostgreSQL (durable: fsync on, synchronous_commit on, acks=all) ...");
        try (BenchServers servers = BenchServers.start()) {
            MessagingBenchmark benchmark = new MessagingBenchmark(servers);
            double drain = benchmark.relayDrain(backlog);
            double apply = benchmark.consumerThroughput(consumerRecords, consumerThreads);
            Histogram hops = benchmark.hopLatency(rate, seconds);
            System.out.println();
            System.out.println("== Results ==");
            System.out.printf("relay drain            %,10.0f events/s   (target >= 20,000)%n", drain);
            System.out.printf("consumer apply         %,10.0f records/s  (target >= 5,000; inbox + handler row + outbox event, %d thread(s))%n",
                    apply, consumerThreads);
            System.out.printf("hop latency at %d/s    p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  (n=%d; target p50 <= 5, p99 <= 25)%n",
                    rate, millis(hops, 50), millis(hops, 90), millis(hops, 99), hops.getMaxValue() / 1000.0, hops.getTotalCount());
        }
    }

    /** Fills the outbox with a backlog, then times the relay publishing all of it. */
    private double relayDrain(int rows) throws Exception {
        System.out.printf("%n-- relay drain: %,d rows --%n", rows);
        try (HikariDataSource dataSource = database("bench_relay")) {
            Jdbi jdbi = Database.jdbi(dataSource);
            String topic = "bench-relay";
            Topics.ensure(servers.kafka.bootstrapServers(), 6, (short) 1, List.of(topic));
            Outbox outbox = Outbox.create();
            long fillStart = System.nanoTime();
            for (int from = 0; from < rows; from += 5000) {
                int first = from;
                jdbi.useTransaction(handle -> {
                    List<OutboxMessage> batch = new ArrayList<>(5000);
                    for (int i = first; i < Math.min(rows, first + 5000); i++) {
                        String orderId = "order-" + (i % 1000);
                        batch.add(OutboxMessage.json(topic, orderId, Map.of(EventHeaders.ID, TimeOrderedUuid.next().toString(),
                                EventHeaders.TYPE, "OrderCancelled"), CANCELLED.formatted(orderId, i)));
                    }
                    outbox.appendAll(handle, batch);
                });
            }
            System.out.printf("appended %,d rows in %.1f s%n", rows, seconds(System.nanoTime() - fillStart));
            try (OutboxRelay relay = outbox.relay(dataSource, RelayConfig.builder(servers.kafka.bootstrapServers(), "bench").build())) {
                long start = System.nanoTime();
                relay.start();
                waitFor(() -> relay.metrics().publishedCount(), rows, "published");
                double elapsed = seconds(System.nanoTime() - start);
                System.out.printf("relay published %,d rows in %.2f s%n", rows, elapsed);
                return rows / elapsed;
            }
        }
    }

    /** Pre-fills a topic, then times the consumer applying every record: inbox row, handler row, outbox event. */
    private double consumerThroughput(int records, int threads) throws Exception {
        System.out.printf("%n-- consumer apply: %,d records, %d thread(s) --%n", records, threads);
        String topic = "bench-consumer";
        String out = "bench-consumer-out";
        Topics.ensure(servers.kafka.bootstrapServers(), 6, (short) 1, List.of(topic, out));
        Map<String, Object> bulk = new java.util.HashMap<>(ProducerSettings.reliable(servers.kafka.bootstrapServers(), "bench-prefill"));
        // A bulk load is not the relay: it may take longer than the relay's fail-fast delivery timeout.
        bulk.put(org.apache.kafka.clients.producer.ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        bulk.put(org.apache.kafka.clients.producer.ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        // Test data, every acknowledgement checked: without idempotence, so that a fresh topic's leader changes cannot
        // wedge a partition's sequence (seen here: a batch never sent, flush() waiting until the delivery timeout).
        bulk.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(bulk)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                String orderId = "order-" + i;
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, orderId, CANCELLED.formatted(orderId, i).getBytes(StandardCharsets.UTF_8));
                record.headers().add(EventHeaders.ID, TimeOrderedUuid.next().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add(EventHeaders.TYPE, "OrderCancelled".getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record));
                if (i % 1000 == 999) {
                    // Rounds of 1,000 as the relay sends them: one unbroken stream of 100,000 records stalled a
                    // partition's batch here on a loaded 2-core machine (left as a finding in the closing note).
                    producer.flush();
                }
            }
            producer.flush();
            for (java.util.concurrent.Future<?> acknowledgement : sent) {
                acknowledgement.get(); // the measured run must find every record there
            }
        }
        EventPublisher publisher = publisher();
        try (HikariDataSource dataSource = database("bench_consumer");
             OutboxRelay relay = relay(dataSource, publisher)) {
            Jdbi jdbi = Database.jdbi(dataSource);
            EventHandler handler = (event, context) -> {
                context.handle().createUpdate("INSERT INTO bench_applied (order_id, amount) VALUES (:order, 1)")
                        .bind("order", event.orderId()).execute();
                context.publish(OutgoingEvent.of(out, event.orderId(), Map.of("order_id", event.orderId(), "released", true)));
            };
            ConsumerSettings settings = ConsumerSettings.builder(servers.kafka.bootstrapServers(), "bench-consumer", List.of(topic))
                    .threads(threads).build();
            EventRouter router = EventRouter.builder().on("OrderCancelled", handler).build();
            long start = System.nanoTime();
            try (EventConsumer consumer = EventConsumer.create(jdbi, publisher, router, settings).start()) {
                waitFor(() -> consumer.metrics().applied(), records, "applied");
            }
            double elapsed = seconds(System.nanoTime() - start);
            System.out.printf("applied %,d records in %.2f s (including the consumer joining its group)%n", records, elapsed);
            return records / elapsed;
        }
    }

    /** Commits one event per transaction at a fixed rate (open loop) and measures commit -> handler. */
    private Histogram hopLatency(int rate, int seconds) throws Exception {
        System.out.printf("%n-- hop latency: %d events/s for %d s after 5 s of warm-up --%n", rate, seconds);
        String topic = "bench-hop";
        Topics.ensure(servers.kafka.bootstrapServers(), 6, (short) 1, List.of(topic));
        Map<String, Long> committed = new ConcurrentHashMap<>();
        Map<String, Long> handled = new ConcurrentHashMap<>();
        EventPublisher publisher = publisher();
        try (HikariDataSource dataSource = database("bench_hop");
             OutboxRelay relay = relay(dataSource, publisher)) {
            Jdbi jdbi = Database.jdbi(dataSource);
            EventHandler handler = (event, context) -> handled.putIfAbsent(event.orderId(), System.nanoTime());
            ConsumerSettings settings = ConsumerSettings.builder(servers.kafka.bootstrapServers(), "bench-hop", List.of(topic))
                    .typeByTopic(Map.of(topic, "OrderCancelled")).build();
            EventRouter router = EventRouter.builder().on("OrderCancelled", handler).build();
            try (EventConsumer consumer = EventConsumer.create(jdbi, publisher, router, settings).start()) {
                int warmup = rate * 5;
                int total = warmup + rate * seconds;
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + i * interval;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                        if (due - System.nanoTime() > 200_000) {
                            Thread.sleep(0, 100_000);
                        }
                    }
                    String orderId = "hop-" + i;
                    jdbi.useTransaction(handle -> publisher.publish(handle, List.of(new OutgoingEvent(topic, "OrderCancelled", orderId,
                            Map.of("order_id", orderId, "reason", "bench", "cancelled_by", "BENCH", "timestamp", "2026-11-23T10:00:00Z")))));
                    committed.put(orderId, System.nanoTime());
                }
                waitFor(() -> handled.size(), total, "handled");
                Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
                for (int i = warmup; i < total; i++) {
                    String orderId = "hop-" + i;
                    histogram.recordValue(Math.max(0, (handled.get(orderId) - committed.get(orderId)) / 1000));
                }
                return histogram;
            }
        }
    }

    private HikariDataSource database(String name) {
        servers.databases.ensureDatabase(name, name, name);
        HikariDataSource dataSource = Database.pool(new DatabaseConfig(servers.databases.jdbcUrl(name), name, name, 10, java.time.Duration.ofSeconds(60)), name,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Database.migrate(dataSource, Outbox.MIGRATIONS, "db/inbox", "db/bench");
        return dataSource;
    }

    private OutboxRelay relay(HikariDataSource dataSource, EventPublisher publisher) {
        return publisher.outbox().relay(dataSource, RelayConfig.builder(servers.kafka.bootstrapServers(), "bench").build()).start();
    }

    private static EventPublisher publisher() {
        return EventPublisher.create("bench", Outbox.create(), Clock.systemUTC());
    }

    private static void waitFor(LongSupplier progress, long target, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long lastReport = System.nanoTime();
        while (progress.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gave up: " + progress.getAsLong() + " of " + target + " " + what);
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                System.out.printf("  ... %,d of %,d %s%n", progress.getAsLong(), target, what);
                lastReport = System.nanoTime();
            }
            Thread.sleep(5);
        }
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static int setting(String name, int defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
    }
}

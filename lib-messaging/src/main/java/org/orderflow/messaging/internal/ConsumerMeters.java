package org.orderflow.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.orderflow.messaging.consumer.ConsumerMetrics;
import org.orderflow.outbox.internal.OwnedMeters;

/**
 * The consumer runtime's meters, named {@code orderflow.consumer.*}, shared by the consumer threads of one
 * {@link InboxConsumer}: records by topic, event type and outcome; failed attempts; apply latency, from the record's
 * timestamp (how long after it was produced it was applied) and from the poll that fetched it; lag per partition.
 * Meters are looked up once per topic, type and outcome, then kept.
 */
final class ConsumerMeters implements AutoCloseable {
    /** What became of a record; the {@code outcome} tag. */
    enum Outcome {
        APPLIED, DUPLICATE, PASSED_OVER, RETRIED, DEAD_LETTERED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** Event types are the contract's, but a producer can type anything: past this many series, others are "other". */
    private static final int MAX_RECORD_KINDS = 1000;
    private static final Duration LATENCY_MIN = Duration.ofMillis(1);
    private static final Duration LATENCY_MAX = Duration.ofMinutes(5);

    private final OwnedMeters meters;
    private final Map<RecordKind, Counter> records = new ConcurrentHashMap<>();
    private final Map<String, Timer> sinceProduced = new ConcurrentHashMap<>();
    private final Map<String, Timer> sincePolled = new ConcurrentHashMap<>();
    private final Map<TopicPartition, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Gauge> lagGauges = new ConcurrentHashMap<>();
    private final Counter batchFailures;
    private final Counter pollFailures;

    ConsumerMeters(MeterRegistry registry) {
        this.meters = new OwnedMeters(registry);
        this.batchFailures = keep(Counter.builder("orderflow.consumer.batch.failures")
                .description("Polls whose one transaction failed (their records were then applied one by one, or retried)")
                .register(registry));
        this.pollFailures = keep(Counter.builder("orderflow.consumer.poll.failures")
                .description("Kafka consumer failures (a new consumer is built after a backoff)").register(registry));
    }

    MeterRegistry registry() {
        return meters.registry();
    }

    void record(Item item, Outcome outcome) {
        RecordKind kind = new RecordKind(item.record().topic(), typeOf(item), outcome);
        if (records.size() >= MAX_RECORD_KINDS && !records.containsKey(kind)) {
            kind = new RecordKind(kind.topic(), "other", outcome);
        }
        records.computeIfAbsent(kind, key -> keep(Counter.builder("orderflow.consumer.records")
                .description("Records consumed, by what became of them")
                .tags("topic", key.topic(), "type", key.type(), "outcome", key.outcome().tag).register(meters.registry()))).increment();
    }

    /** An applied record's latencies: from its timestamp, and from the poll that fetched it ({@code polledAtMillis}). */
    void applied(Item item, long nowMillis, long polledAtMillis) {
        record(item, Outcome.APPLIED);
        String topic = item.record().topic();
        timer(sinceProduced, topic, "orderflow.consumer.latency.produced",
                "From the record's timestamp (its production) until it was applied")
                .record(Duration.ofMillis(Math.max(0, nowMillis - item.record().timestamp())));
        timer(sincePolled, topic, "orderflow.consumer.latency.polled", "From the poll that fetched the record until it was applied")
                .record(Duration.ofMillis(Math.max(0, nowMillis - polledAtMillis)));
    }

    void batchFailed() {
        batchFailures.increment();
    }

    void pollFailed() {
        pollFailures.increment();
    }

    /** The partition's lag now (records behind its end), as the consumer's last fetch saw it. */
    void lag(TopicPartition partition, long records) {
        lags.computeIfAbsent(partition, key -> {
            AtomicLong value = new AtomicLong();
            lagGauges.put(key, keep(Gauge.builder("orderflow.consumer.lag", value, AtomicLong::get).baseUnit("records")
                    .description("Records behind the end of the partition, as of this consumer's last fetch")
                    .tags("topic", key.topic(), "partition", Integer.toString(key.partition())).register(meters.registry())));
            return value;
        }).set(records);
    }

    /** A partition this process no longer consumes: its lag is another instance's to report. */
    void lost(TopicPartition partition) {
        lags.remove(partition);
        Gauge gauge = lagGauges.remove(partition);
        if (gauge != null) {
            meters.remove(gauge);
        }
    }

    /** Counts since start and the largest lag now, from the meters. */
    ConsumerMetrics snapshot() {
        long[] byOutcome = new long[Outcome.values().length];
        records.forEach((kind, counter) -> byOutcome[kind.outcome().ordinal()] += (long) counter.count());
        long failures = (long) (batchFailures.count() + pollFailures.count()) + byOutcome[Outcome.RETRIED.ordinal()];
        long lag = lags.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
        return new ConsumerMetrics(byOutcome[Outcome.APPLIED.ordinal()], byOutcome[Outcome.DUPLICATE.ordinal()],
                byOutcome[Outcome.PASSED_OVER.ordinal()], failures, byOutcome[Outcome.DEAD_LETTERED.ordinal()], lag);
    }

    private Timer timer(Map<String, Timer> timers, String topic, String name, String description) {
        return timers.computeIfAbsent(topic, key -> keep(Timer.builder(name).description(description).tags("topic", key)
                .publishPercentileHistogram().minimumExpectedValue(LATENCY_MIN).maximumExpectedValue(LATENCY_MAX)
                .register(meters.registry())));
    }

    private static String typeOf(Item item) {
        return item.event() != null ? item.event().type() : "undecodable";
    }

    private <M extends Meter> M keep(M meter) {
        return meters.keep(meter);
    }

    /** Removes the meters from the registry: a consumer that stopped reports nothing. */
    @Override
    public void close() {
        meters.close();
    }

    private record RecordKind(String topic, String type, Outcome outcome) {
    }
}

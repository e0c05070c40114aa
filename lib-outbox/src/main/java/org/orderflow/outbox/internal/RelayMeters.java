package org.orderflow.outbox.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.orderflow.outbox.OutboxMetrics;

/**
 * The relay's meters, named {@code orderflow.outbox.*}: rows published (by topic and event type), parked, failed
 * attempts, round duration, and gauges of the table (pending rows, age of the oldest, parked rows) and of this
 * instance's leadership. The table is read at most once a second however often the gauges are scraped.
 */
final class RelayMeters implements AutoCloseable {
    private static final Duration TABLE_READ_INTERVAL = Duration.ofSeconds(1);
    private static final String TYPE_HEADER = "ce_type";

    private final OwnedMeters meters;
    private final Clock clock;
    private final Supplier<OutboxTable.Counts> tableCounts;
    private final Map<TopicAndType, Counter> published = new ConcurrentHashMap<>();
    private final Counter parked;
    private final Counter failures;
    private final Timer round;
    private volatile OutboxTable.Counts lastCounts;
    private volatile Instant lastRead = Instant.MIN;

    RelayMeters(MeterRegistry registry, Clock clock, Supplier<OutboxTable.Counts> tableCounts, BooleanSupplier active) {
        this.meters = new OwnedMeters(registry);
        this.clock = clock;
        this.tableCounts = tableCounts;
        this.parked = keep(Counter.builder("orderflow.outbox.parked").description("Rows Kafka refused for good, set aside for an operator")
                .register(registry));
        this.failures = keep(Counter.builder("orderflow.outbox.publish.failures")
                .description("Failed publish attempts (the rows stay and are retried)").register(registry));
        this.round = keep(Timer.builder("orderflow.outbox.relay.round").description("One relay round: read, send, every acknowledgement")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
        keep(Gauge.builder("orderflow.outbox.pending", this, meters -> meters.counts().pendingRows()).baseUnit("rows")
                .description("Rows not yet acknowledged by Kafka").register(registry));
        keep(TimeGauge.builder("orderflow.outbox.oldest.pending.age", this, TimeUnit.MILLISECONDS,
                        meters -> meters.counts().oldestPendingAge().toMillis())
                .description("Age of the oldest row not yet acknowledged by Kafka").register(registry));
        keep(Gauge.builder("orderflow.outbox.parked.rows", this, meters -> meters.counts().parkedRows()).baseUnit("rows")
                .description("Rows in outbox_parked, waiting for an operator").register(registry));
        keep(Gauge.builder("orderflow.outbox.relay.active", active, holds -> holds.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while this instance holds the relay lock and publishes").register(registry));
    }

    /** A row Kafka acknowledged; its type is its {@code ce_type} header. */
    void published(PendingRow row) {
        published.computeIfAbsent(new TopicAndType(row.topic(), row.headers().getOrDefault(TYPE_HEADER, "unknown")),
                key -> keep(Counter.builder("orderflow.outbox.published").description("Rows Kafka acknowledged")
                        .tags("topic", key.topic(), "type", key.type()).register(meters.registry()))).increment();
    }

    void parked() {
        parked.increment();
    }

    void failed() {
        failures.increment();
    }

    void round(Duration took) {
        round.record(took);
    }

    /** The relay's metrics: the table's counts as given, and the counters since the relay started. */
    OutboxMetrics snapshot(boolean active, OutboxTable.Counts table) {
        long publishedCount = published.values().stream().mapToLong(counter -> (long) counter.count()).sum();
        return new OutboxMetrics(active, table.pendingRows(), table.oldestPendingAge(), table.parkedRows(), publishedCount,
                (long) parked.count(), (long) failures.count());
    }

    /** The table's counts, read again when the last read is a second old. */
    OutboxTable.Counts counts() {
        Instant now = clock.instant();
        if (lastCounts == null || Duration.between(lastRead, now).compareTo(TABLE_READ_INTERVAL) >= 0) {
            lastCounts = tableCounts.get();
            lastRead = now;
        }
        return lastCounts;
    }

    private <M extends Meter> M keep(M meter) {
        return meters.keep(meter);
    }

    /** Removes the meters from the registry: a relay that stopped reports nothing. */
    @Override
    public void close() {
        meters.close();
    }

    private record TopicAndType(String topic, String type) {
    }
}

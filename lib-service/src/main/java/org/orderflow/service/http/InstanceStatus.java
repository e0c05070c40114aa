package org.orderflow.service.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /admin/status}, for operators: this instance's readiness and the few figures an operations page shows of
 * it, read from its own meters (the same that /metrics exports), so that one authenticated call per instance tells how
 * it does. Throughput is the difference of two reads' totals over their times, which the reader computes.
 */
final class InstanceStatus {
    private final String service;
    private final String instance;
    private final Readiness readiness;
    private final MeterRegistry registry;
    private final Clock clock;

    InstanceStatus(String service, String instance, Readiness readiness, MeterRegistry registry, Clock clock) {
        this.service = service;
        this.instance = instance;
        this.readiness = readiness;
        this.registry = registry;
        this.clock = clock;
    }

    void register(ApiRoutes operator) {
        operator.get("/admin/status", ctx -> ctx.json(read()));
    }

    /**
     * @param ready    every readiness check passes
     * @param checks   each check: UP, or DOWN and why
     * @param outbox   the service's outbox, as its relay last counted it
     * @param consumer the service's consumers
     * @param at       when it was read: throughput is the change of the totals between two reads
     */
    record Status(String service, String instance, boolean ready, Map<String, String> checks, Outbox outbox, Consumer consumer, Instant at) {
    }

    /** @param published rows Kafka acknowledged since the instance started (a total, while it leads the relay) */
    record Outbox(long pendingRows, double oldestPendingSeconds, long parkedRows, boolean relayActive, long published) {
    }

    /**
     * @param lag     records behind the ends of the partitions the instance reads, as of its last fetches
     * @param records records consumed since the instance started, by what became of them (applied, dead_lettered, ...)
     */
    record Consumer(long lag, Map<String, Long> records) {
    }

    private Status read() {
        Map<String, String> checks = readiness.report();
        Outbox outbox = new Outbox((long) gauge("orderflow.outbox.pending"), seconds("orderflow.outbox.oldest.pending.age"),
                (long) gauge("orderflow.outbox.parked.rows"), gauge("orderflow.outbox.relay.active") > 0, total("orderflow.outbox.published"));
        Map<String, Long> records = new TreeMap<>();
        registry.find("orderflow.consumer.records").counters()
                .forEach(counter -> records.merge(counter.getId().getTag("outcome"), (long) counter.count(), Long::sum));
        long lag = (long) registry.find("orderflow.consumer.lag").gauges().stream().mapToDouble(Gauge::value).sum();
        return new Status(service, instance, checks.values().stream().allMatch("UP"::equals), checks, outbox, new Consumer(lag, records),
                clock.instant());
    }

    private double gauge(String name) {
        return registry.find(name).gauges().stream().mapToDouble(Gauge::value).filter(Double::isFinite).sum();
    }

    private double seconds(String name) {
        return registry.find(name).timeGauges().stream().mapToDouble(gauge -> gauge.value(TimeUnit.SECONDS)).filter(Double::isFinite).max().orElse(0);
    }

    private long total(String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}

package org.orderflow.messaging.kpi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The KPIs every service reports, read from the same meters {@code /metrics} shows, so the two never disagree: what
 * its consumer did in the interval, its latency percentiles over the interval (from the histogram's buckets, as
 * Prometheus's {@code histogram_quantile} computes them; a registry that keeps no buckets, such as Micrometer's simple
 * one, gives no latency KPI), its lag, and how far behind its outbox is.
 */
public final class KpiSources {
    private KpiSources() {
    }

    /** Records applied, duplicate, passed over and dead-lettered and failed attempts in the interval; latency p50/p99; largest lag. */
    public static KpiSource consumer(MeterRegistry registry) {
        Deltas deltas = new Deltas();
        LatencyBuckets latency = new LatencyBuckets();
        return () -> {
            List<Kpi> kpis = new ArrayList<>(List.of(
                    new Kpi("events_processed", "count", deltas.of("applied", records(registry, "applied"))),
                    new Kpi("events_duplicate", "count", deltas.of("duplicate", records(registry, "duplicate"))),
                    new Kpi("events_ignored", "count", deltas.of("passed_over", records(registry, "passed_over"))),
                    new Kpi("events_failed", "count", deltas.of("failed", records(registry, "retried")
                            + sum(registry.find("orderflow.consumer.batch.failures").counters(), Counter::count)
                            + sum(registry.find("orderflow.consumer.poll.failures").counters(), Counter::count))),
                    new Kpi("events_dead_lettered", "count", deltas.of("dead_lettered", records(registry, "dead_lettered"))),
                    new Kpi("consumer_lag", "records", registry.find("orderflow.consumer.lag").gauges().stream()
                            .mapToDouble(Gauge::value).filter(value -> !Double.isNaN(value)).max().orElse(0))));
            latency.interval(registry.find("orderflow.consumer.latency.produced").timers()).ifPresent(interval -> {
                kpis.add(new Kpi("processing_latency", "p50_ms", interval.percentileMillis(0.5)));
                kpis.add(new Kpi("processing_latency", "p99_ms", interval.percentileMillis(0.99)));
            });
            return kpis;
        };
    }

    /** Pending rows, age of the oldest, parked rows (waiting for an operator), and records published in the interval. */
    public static KpiSource outbox(MeterRegistry registry) {
        Deltas deltas = new Deltas();
        return () -> List.of(
                new Kpi("outbox_lag", "pending_rows", gauge(registry, "orderflow.outbox.pending")),
                new Kpi("outbox_lag", "oldest_pending_ms", registry.find("orderflow.outbox.oldest.pending.age").timeGauges().stream()
                        .mapToDouble(gauge -> gauge.value(TimeUnit.MILLISECONDS)).max().orElse(0)),
                new Kpi("outbox_parked", "rows", gauge(registry, "orderflow.outbox.parked.rows")),
                new Kpi("outbox_published", "count", deltas.of("published",
                        sum(registry.find("orderflow.outbox.published").counters(), Counter::count))));
    }

    private static double records(MeterRegistry registry, String outcome) {
        return sum(registry.find("orderflow.consumer.records").tag("outcome", outcome).counters(), Counter::count);
    }

    private static double gauge(MeterRegistry registry, String name) {
        return sum(registry.find(name).gauges(), Gauge::value);
    }

    private static <M> double sum(Iterable<M> meters, ToDoubleFunction<M> value) {
        double total = 0;
        for (M meter : meters) {
            double one = value.applyAsDouble(meter);
            total += Double.isNaN(one) ? 0 : one;
        }
        return total;
    }

    /** Each counter's growth since the previous interval. */
    private static final class Deltas {
        private final Map<String, Double> previous = new HashMap<>();

        double of(String name, double now) {
            Double before = previous.put(name, now);
            return Math.max(0, now - (before == null ? 0 : before));
        }
    }

    /** The latency timers' buckets summed (upper bound in ms to cumulative count), less those of the previous interval. */
    private static final class LatencyBuckets {
        private NavigableMap<Double, Double> previous = new TreeMap<>();

        Optional<Interval> interval(Iterable<Timer> timers) {
            NavigableMap<Double, Double> now = new TreeMap<>();
            for (Timer timer : timers) {
                for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
                    now.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
                }
            }
            NavigableMap<Double, Double> interval = new TreeMap<>();
            now.forEach((bound, count) -> interval.put(bound, count - previous.getOrDefault(bound, 0.0)));
            previous = now;
            double total = interval.isEmpty() ? 0 : interval.lastEntry().getValue();
            return total > 0 ? Optional.of(new Interval(interval, total)) : Optional.empty();
        }
    }

    /** One interval's cumulative bucket counts. */
    private record Interval(NavigableMap<Double, Double> cumulative, double total) {

        /** The quantile, interpolated linearly within its bucket as Prometheus's histogram_quantile does. */
        double percentileMillis(double quantile) {
            double rank = quantile * total;
            double lowerBound = 0;
            double countBelow = 0;
            for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
                if (bucket.getValue() >= rank) {
                    double inBucket = bucket.getValue() - countBelow;
                    double fraction = inBucket <= 0 ? 1 : (rank - countBelow) / inBucket;
                    return lowerBound + (bucket.getKey() - lowerBound) * fraction;
                }
                lowerBound = bucket.getKey();
                countBelow = bucket.getValue();
            }
            return lowerBound;
        }
    }
}

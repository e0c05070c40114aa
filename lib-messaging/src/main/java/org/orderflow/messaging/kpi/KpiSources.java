package org.orderflow.messaging.kpi;

import java.util.ArrayList;
import java.util.List;
import org.orderflow.messaging.consumer.ConsumerMetrics;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.outbox.OutboxMetrics;
import org.orderflow.outbox.OutboxRelay;

/** The KPIs every service reports: what its consumer did in the interval, and how far behind its outbox is. */
public final class KpiSources {
    private KpiSources() {
    }

    /** Processed, failed and dead-lettered per interval, processing latency p50/p99, consumer lag. */
    public static KpiSource of(EventConsumer consumer) {
        return new KpiSource() {
            private ConsumerMetrics previous = new ConsumerMetrics(0, 0, 0, 0, 0, 0);

            @Override
            public List<Kpi> collect() {
                ConsumerMetrics now = consumer.metrics();
                LatencyRecorder.Snapshot latency = consumer.latency().intervalSnapshot();
                List<Kpi> kpis = new ArrayList<>(List.of(
                        new Kpi("events_processed", "count", now.applied() - previous.applied()),
                        new Kpi("events_duplicate", "count", now.duplicates() - previous.duplicates()),
                        new Kpi("events_ignored", "count", now.ignored() - previous.ignored()),
                        new Kpi("events_failed", "count", now.failures() - previous.failures()),
                        new Kpi("events_dead_lettered", "count", now.deadLettered() - previous.deadLettered()),
                        new Kpi("consumer_lag", "records", now.lag())));
                if (latency.count() > 0) {
                    kpis.add(new Kpi("processing_latency", "p50_ms", latency.p50Millis()));
                    kpis.add(new Kpi("processing_latency", "p99_ms", latency.p99Millis()));
                }
                previous = now;
                return kpis;
            }
        };
    }

    /** Pending rows, age of the oldest, parked rows (waiting for an operator), and records published in the interval. */
    public static KpiSource of(OutboxRelay relay) {
        return new KpiSource() {
            private long previousPublished;

            @Override
            public List<Kpi> collect() {
                OutboxMetrics metrics = relay.metrics();
                long published = metrics.publishedCount() - previousPublished;
                previousPublished = metrics.publishedCount();
                return List.of(
                        new Kpi("outbox_lag", "pending_rows", metrics.pendingRows()),
                        new Kpi("outbox_lag", "oldest_pending_ms", metrics.oldestPendingAge().toMillis()),
                        new Kpi("outbox_parked", "rows", metrics.parkedRows()),
                        new Kpi("outbox_published", "count", published));
            }
        };
    }
}

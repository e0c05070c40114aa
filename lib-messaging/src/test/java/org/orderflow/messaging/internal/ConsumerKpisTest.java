package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.kpi.Kpi;
import org.orderflow.messaging.kpi.KpiSource;
import org.orderflow.messaging.kpi.KpiSources;

/**
 * The consumer's KPI events are read from the meters the consumer records: what /metrics shows, per interval. The
 * services' registry, Prometheus's, keeps the latency histograms' buckets the percentiles are computed from.
 */
class ConsumerKpisTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConsumerMeters meters = new ConsumerMeters(registry);
    private final KpiSource kpis = KpiSources.consumer(registry);

    @Test
    void eachIntervalReportsWhatTheMetersCountedSinceThePreviousOne() {
        for (int i = 0; i < 3; i++) {
            meters.applied(item("OrderReceived", 10_000), 10_000 + 20, 10_000 + 5);
        }
        meters.record(item("OrderReceived", 0), ConsumerMeters.Outcome.DUPLICATE);
        meters.record(item("OrderReceived", 0), ConsumerMeters.Outcome.DEAD_LETTERED);
        meters.lag(new TopicPartition("OrderReceived", 0), 7);
        meters.lag(new TopicPartition("OrderReceived", 1), 12);

        Map<String, Double> first = values(kpis.collect());
        assertThat(first).containsEntry("events_processed/count", 3.0).containsEntry("events_duplicate/count", 1.0)
                .containsEntry("events_dead_lettered/count", 1.0).containsEntry("consumer_lag/records", 12.0);
        assertThat(first.get("processing_latency/p50_ms")).isBetween(17.0, 21.0);

        meters.applied(item("OrderReceived", 10_000), 10_000 + 500, 10_000 + 5);
        Map<String, Double> second = values(kpis.collect());
        assertThat(second).containsEntry("events_processed/count", 1.0).containsEntry("events_duplicate/count", 0.0);
        // Within the bucket that holds 500 ms (447 to 537 ms), where histogram_quantile would put it too.
        assertThat(second.get("processing_latency/p99_ms")).as("only this interval's record").isBetween(447.0, 537.0);

        assertThat(values(kpis.collect())).doesNotContainKey("processing_latency/p50_ms").containsEntry("events_processed/count", 0.0);
    }

    @Test
    void aPartitionThisProcessNoLongerConsumesLeavesTheLag() {
        meters.lag(new TopicPartition("OrderReceived", 0), 40);
        meters.lost(new TopicPartition("OrderReceived", 0));

        assertThat(values(kpis.collect())).containsEntry("consumer_lag/records", 0.0);
        assertThat(registry.find("orderflow.consumer.lag").gauges()).isEmpty();
    }

    private static Map<String, Double> values(List<Kpi> kpis) {
        return kpis.stream().collect(Collectors.toMap(kpi -> kpi.kpiName() + "/" + kpi.metric(), Kpi::value));
    }

    private static Item item(String type, long timestamp) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(type, 0, 0, timestamp, TimestampType.CREATE_TIME, 0, 0, "order-1",
                new byte[0], new RecordHeaders(), Optional.empty());
        IncomingEvent event = IncomingEvent.of("event-1", type, "test", Instant.EPOCH, "order-1", JsonNodeFactory.instance.objectNode());
        return new Item(record, event, null);
    }
}

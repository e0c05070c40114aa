package org.orderflow.messaging.kpi;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.OutgoingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the service's KPIs to {@code KPIs} once per interval (not one event per message): one event per KPI,
 * {@code {kpi_name, metric, value, service, timestamp}}, keyed by service, through the outbox. A failed interval
 * is logged and skipped; the next one reports afresh. {@link #close()} stops the schedule.
 */
public final class KpiReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KpiReporter.class);
    public static final String KPI_TYPE = "KPI";

    /** The topic KPI events go to. */
    public static final String TOPIC = "KPIs";
    private final Jdbi jdbi;
    private final EventPublisher publisher;
    private final String service;
    private final Clock clock;
    private final List<KpiSource> sources;
    private final ScheduledExecutorService schedule;

    private KpiReporter(Jdbi jdbi, EventPublisher publisher, String service, Clock clock, List<KpiSource> sources) {
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.service = service;
        this.clock = clock;
        this.sources = List.copyOf(sources);
        this.schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kpi-reporter");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static KpiReporter start(Jdbi jdbi, EventPublisher publisher, String service, Duration interval, Clock clock,
                                    List<KpiSource> sources) {
        KpiReporter reporter = new KpiReporter(jdbi, publisher, service, clock, sources);
        reporter.schedule.scheduleAtFixedRate(reporter::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return reporter;
    }

    /** Collects every source now and publishes the result; also what the schedule runs. */
    public void report() {
        try {
            String timestamp = clock.instant().toString();
            List<OutgoingEvent> events = new ArrayList<>();
            for (KpiSource source : sources) {
                for (Kpi kpi : source.collect()) {
                    events.add(new OutgoingEvent(TOPIC, KPI_TYPE, service,
                            new KpiEvent(kpi.kpiName(), kpi.metric(), kpi.value(), service, timestamp)));
                }
            }
            if (!events.isEmpty()) {
                jdbi.useTransaction(handle -> publisher.publish(handle, events));
            }
        } catch (RuntimeException e) {
            log.warn("KPI report skipped: {}", e.toString());
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }

    /** The payload of a KPI event. */
    record KpiEvent(String kpiName, String metric, double value, String service, String timestamp) {
    }
}

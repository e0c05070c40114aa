package org.orderflow.service;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Function;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.outbox.OutboxAdmin;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.http.HttpApi;
import org.orderflow.service.observability.Observability;

/**
 * The start routine every service shares, so that each {@code Main} holds only what differs: open the database (pool,
 * the libraries' migrations, then the service's), build the service's feature from the {@link Wiring}, start the
 * outbox relay, the consumer and the KPI reporter, then serve HTTP (the feature's routes, and the outbox's parked rows
 * for operators); all of it measured and traced through one
 * {@link Observability}. {@link RunningService#close()} stops it all in reverse: HTTP, consumer, relay, what the
 * feature started, pool, and last the tracer (flushing its spans). A failure part way stops what had started.
 */
public final class ServiceStart {
    private ServiceStart() {
    }

    /**
     * What a feature is built from.
     *
     * @param jdbi      the service's database
     * @param connections the same database's connections, for what holds one of its own (a NOTIFY listener)
     * @param publisher publishes through the service's outbox
     * @param clock     the time, for everything the feature decides by it
     * @param lifecycle registers what the feature starts itself (a timer), so that it stops before the pool
     * @param metrics   where the feature's own meters go (business counters): they show in /metrics
     */
    public record Wiring(Jdbi jdbi, ConnectionFactory connections, EventPublisher publisher, Clock clock, Lifecycle lifecycle,
                         MeterRegistry metrics) {
    }

    /** Starts the service whose own migrations are at {@code migrations} on the classpath. */
    public static RunningService start(CommonConfig config, String migrations, Clock clock, Function<Wiring, ServiceFeature> feature) {
        Lifecycle lifecycle = new Lifecycle();
        try {
            Observability observability = lifecycle.started("metrics and traces", Observability.start(config));
            Infrastructure infrastructure = Infrastructure.open(config, lifecycle, observability.registry(), migrations);
            EventPublisher publisher = EventRuntime.publisher(config, clock, observability);
            ServiceFeature service = feature.apply(new Wiring(infrastructure.jdbi(), infrastructure.dataSource()::getConnection, publisher, clock,
                    lifecycle, observability.registry()));
            EventRuntime events = EventRuntime.start(config, infrastructure, lifecycle, clock, observability, publisher, service);
            OutboxRoutes parked = new OutboxRoutes(OutboxAdmin.create(infrastructure.jdbi()));
            return RunningService.serve(HttpApi.create(config, observability, events.readinessChecks(infrastructure), routes -> {
                service.routes(routes);
                parked.register(routes.operatorOnly());
            }), config.http(), lifecycle);
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }
}

package org.orderflow.service;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.messaging.kpi.KpiReporter;
import org.orderflow.messaging.kpi.KpiSources;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.RelayConfig;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.http.ReadinessCheck;
import org.orderflow.service.observability.Observability;

/**
 * The messaging half of a service, started the same way in each: the outbox relay, the event consumer and the KPI
 * reporter, registered with the {@link Lifecycle} so that they stop after HTTP and before the pool.
 */
record EventRuntime(EventPublisher publisher, OutboxRelay relay, EventConsumer consumer) {

    /** The publisher alone: for wiring the feature before the runtime starts. */
    static EventPublisher publisher(CommonConfig config, Clock clock, Observability observability) {
        return EventPublisher.create(config.serviceName(), Outbox.create(), clock, observability.openTelemetry());
    }

    /**
     * Starts the relay, the consumer of the feature's topics (its follow-up topics apart, see
     * {@link ConsumerSettings#followUpTopics}, waiting {@link CommonConfig#GATHERING_FETCH_WAIT} for a fetch) and the
     * KPI reporter, all measuring and tracing through {@code observability} (the KPIs read its registry). A feature with follow-up topics needs a config read for them
     * ({@code ServiceDefaults.withFollowUpConsumer}): the pool must have the follow-up consumer's connection.
     */
    static EventRuntime start(CommonConfig config, Infrastructure infrastructure, Lifecycle lifecycle, Clock clock,
                              Observability observability, EventPublisher publisher, ServiceFeature feature) {
        List<String> topics = feature.topics();
        List<String> followUpTopics = feature.followUpTopics();
        if (!followUpTopics.isEmpty() && !config.followsUp()) {
            throw new IllegalArgumentException("Follow-up topics " + followUpTopics + " need a config read for a follow-up consumer "
                    + "(ServiceDefaults.withFollowUpConsumer): the pool must have a connection for it");
        }
        OutboxRelay relay = lifecycle.started("outbox relay", publisher.outbox().relay(infrastructure.dataSource(),
                RelayConfig.builder(config.kafkaBootstrapServers(), config.processName()).kafkaProperties(config.kafkaProperties()).stallAfter(config.outboxStallAfter())
                        .leaderSilence(config.outboxLeaderSilence()).clock(clock)
                        .meterRegistry(observability.registry()).openTelemetry(observability.openTelemetry()).build()).start());
        ConsumerSettings.Builder settings = ConsumerSettings.builder(config.kafkaBootstrapServers(), config.serviceName(), topics)
                .kafkaProperties(config.kafkaProperties())
                .threads(config.consumerThreads())
                .fetchWait(config.consumerFetchWait())
                .followUps(followUpTopics, CommonConfig.GATHERING_FETCH_WAIT)
                .clock(clock)
                .meterRegistry(observability.registry())
                .openTelemetry(observability.openTelemetry());
        config.instanceId().ifPresent(settings::instanceId);
        EventConsumer consumer = lifecycle.started("event consumer",
                EventConsumer.create(infrastructure.jdbi(), publisher, feature.events(), settings.build()).start());
        lifecycle.started("kpi reporter", KpiReporter.start(infrastructure.jdbi(), publisher, config.serviceName(), config.kpiInterval(),
                clock, List.of(KpiSources.consumer(observability.registry()), KpiSources.outbox(observability.registry()))));
        return new EventRuntime(publisher, relay, consumer);
    }

    /**
     * /ready: the database and Kafka answer, the consumer runs, and the outbox moves (its relay runs and its oldest row
     * is younger than {@link CommonConfig#outboxStallAfter()}).
     */
    Map<String, ReadinessCheck> readinessChecks(Infrastructure infrastructure) {
        Map<String, ReadinessCheck> checks = new HashMap<>(infrastructure.readinessChecks());
        checks.put("consumer", consumer::problem);
        checks.put("outbox", relay::problem);
        return checks;
    }
}

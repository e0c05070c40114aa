package org.orderflow.service;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.messaging.kpi.KpiReporter;
import org.orderflow.messaging.kpi.KpiSources;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.RelayConfig;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.http.ReadinessCheck;

/**
 * The messaging half of a service, started the same way in each: the outbox relay, the event consumer and the KPI
 * reporter, registered with the {@link Lifecycle} so that they stop after HTTP and before the pool.
 */
public record EventRuntime(EventPublisher publisher, OutboxRelay relay, EventConsumer consumer) {

    /** The publisher alone: for wiring the handler before the runtime starts. */
    public static EventPublisher publisher(CommonConfig config, Clock clock) {
        return EventPublisher.create(config.serviceName(), Outbox.create(), clock);
    }

    public static EventRuntime start(CommonConfig config, Infrastructure infrastructure, Lifecycle lifecycle, Clock clock,
                                     EventPublisher publisher, List<String> topics, EventRouter router) {
        return start(config, infrastructure, lifecycle, clock, publisher, topics, List.of(), router);
    }

    /**
     * As {@link #start(CommonConfig, Infrastructure, Lifecycle, Clock, EventPublisher, List, EventRouter)}, with
     * {@code followUpTopics} consumed apart ({@link ConsumerSettings#followUpTopics}), waiting
     * {@link CommonConfig#GATHERING_FETCH_WAIT} for a fetch. The config must have been read for a follow-up consumer ({@code ServiceDefaults.withFollowUpConsumer}), so
     * that the pool has the follow-up consumer's connection.
     */
    public static EventRuntime start(CommonConfig config, Infrastructure infrastructure, Lifecycle lifecycle, Clock clock,
                                     EventPublisher publisher, List<String> topics, List<String> followUpTopics, EventRouter router) {
        if (!followUpTopics.isEmpty() && !config.followsUp()) {
            throw new IllegalArgumentException("Follow-up topics " + followUpTopics + " need a config read with followsUp "
                    + "(ServiceDefaults.withFollowUpConsumer): the pool must have a connection for the follow-up consumer");
        }
        OutboxRelay relay = lifecycle.started("outbox relay", publisher.outbox().relay(infrastructure.dataSource(),
                RelayConfig.builder(config.kafkaBootstrapServers(), config.processName()).stallAfter(config.outboxStallAfter())
                        .leaderSilence(config.outboxLeaderSilence()).clock(clock).build()).start());
        ConsumerSettings.Builder settings = ConsumerSettings.builder(config.kafkaBootstrapServers(), config.serviceName(), topics)
                .threads(config.consumerThreads())
                .fetchWait(config.consumerFetchWait())
                .followUps(followUpTopics, CommonConfig.GATHERING_FETCH_WAIT)
                .clock(clock);
        config.instanceId().ifPresent(settings::instanceId);
        EventConsumer consumer = lifecycle.started("event consumer",
                EventConsumer.create(infrastructure.jdbi(), publisher, router, settings.build()).start());
        lifecycle.started("kpi reporter", KpiReporter.start(infrastructure.jdbi(), publisher, config.serviceName(), config.kpiInterval(),
                clock, List.of(KpiSources.of(consumer), KpiSources.of(relay))));
        return new EventRuntime(publisher, relay, consumer);
    }

    /**
     * /ready: the database and Kafka answer, the consumer runs, and the outbox moves (its relay runs and its oldest row
     * is younger than {@link CommonConfig#outboxStallAfter()}).
     */
    public Map<String, ReadinessCheck> readinessChecks(Infrastructure infrastructure) {
        Map<String, ReadinessCheck> checks = new HashMap<>(infrastructure.readinessChecks());
        checks.put("consumer", consumer::problem);
        checks.put("outbox", relay::problem);
        return checks;
    }
}

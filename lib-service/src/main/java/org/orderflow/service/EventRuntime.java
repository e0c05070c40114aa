package org.orderflow.service;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.messaging.consumer.EventHandler;
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
        return new EventPublisher(config.serviceName(), Outbox.create(), clock);
    }

    public static EventRuntime start(CommonConfig config, Infrastructure infrastructure, Lifecycle lifecycle, Clock clock,
                                     EventPublisher publisher, List<String> topics, EventHandler handler) {
        return start(config, infrastructure, lifecycle, clock, publisher, topics, List.of(), handler);
    }

    /**
     * As {@link #start(CommonConfig, Infrastructure, Lifecycle, Clock, EventPublisher, List, EventHandler)}, with
     * {@code followUpTopics} consumed apart ({@link ConsumerSettings#followUpTopics}), waiting
     * {@link CommonConfig#GATHERING_FETCH_WAIT} for a fetch. The config must have been read with {@code followsUp}, so
     * that the pool has the follow-up consumer's connection.
     */
    public static EventRuntime start(CommonConfig config, Infrastructure infrastructure, Lifecycle lifecycle, Clock clock,
                                     EventPublisher publisher, List<String> topics, List<String> followUpTopics, EventHandler handler) {
        if (!followUpTopics.isEmpty() && !config.followsUp()) {
            throw new IllegalArgumentException("Follow-up topics " + followUpTopics + " need a config read with followsUp "
                    + "(CommonConfig.fromEnv): the pool must have a connection for the follow-up consumer");
        }
        OutboxRelay relay = lifecycle.started("outbox relay", OutboxRelay.create(infrastructure.dataSource(),
                RelayConfig.defaults(config.kafkaBootstrapServers(), config.processName()).withStallAfter(config.outboxStallAfter())
                        .withLeaderSilence(config.outboxLeaderSilence()), publisher.outbox()).start());
        ConsumerSettings defaults = ConsumerSettings.defaults(config.kafkaBootstrapServers(), config.serviceName(), topics)
                .withThreads(config.consumerThreads())
                .withFetchWait(config.consumerFetchWait())
                .withFollowUps(followUpTopics, CommonConfig.GATHERING_FETCH_WAIT);
        ConsumerSettings settings = config.instanceId().map(defaults::withInstanceId).orElse(defaults);
        EventConsumer consumer = lifecycle.started("event consumer",
                EventConsumer.create(infrastructure.jdbi(), publisher, handler, settings).start());
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

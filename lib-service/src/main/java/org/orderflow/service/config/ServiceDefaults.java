package org.orderflow.service.config;

import java.time.Duration;

/**
 * What a service tells {@link CommonConfig#fromEnv} about itself: its name, the defaults that fit {@code make up}, and
 * the consumers it runs. Made by {@link #of} and refined by the {@code with…} methods.
 *
 * @param serviceName      the service's name: Kafka client id, consumer group, and in logs
 * @param httpPort         HTTP_PORT's default
 * @param databasePrefix   the local database is {@code <prefix>_db}, its user {@code <prefix>_user}
 * @param fetchWait        CONSUMER_FETCH_WAIT's default: zero for a step of the pipeline,
 *                         {@link CommonConfig#GATHERING_FETCH_WAIT} for a service that keeps a view
 * @param followUpConsumer whether the service runs a follow-up consumer too (ConsumerSettings.followUpTopics),
 *                         which holds a connection of the pool
 */
public record ServiceDefaults(String serviceName, int httpPort, String databasePrefix, Duration fetchWait,
                              FollowUps followUpConsumer) {

    /** Whether a service runs a follow-up consumer beside its main one. */
    public enum FollowUps {
        NONE, ONE
    }

    /** A step of the pipeline: no fetch wait, no follow-up consumer. */
    public static ServiceDefaults of(String serviceName, int httpPort, String databasePrefix) {
        return new ServiceDefaults(serviceName, httpPort, databasePrefix, Duration.ZERO, FollowUps.NONE);
    }

    /** A consumer that may let the broker gather records for {@code wait} ({@link CommonConfig#GATHERING_FETCH_WAIT}). */
    public ServiceDefaults withFetchWait(Duration wait) {
        return new ServiceDefaults(serviceName, httpPort, databasePrefix, wait, followUpConsumer);
    }

    /** The service also runs a follow-up consumer, which the pool must have a connection for. */
    public ServiceDefaults withFollowUpConsumer() {
        return new ServiceDefaults(serviceName, httpPort, databasePrefix, fetchWait, FollowUps.ONE);
    }
}

package org.orderflow.service;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.orderflow.outbox.KafkaClientProperties;

/**
 * Tells whether the Kafka cluster answers, for /ready. Holds one admin client for the life of the service.
 * Thread-safe.
 */
public final class KafkaHealth implements AutoCloseable {
    private final Admin admin;

    public KafkaHealth(String bootstrapServers, KafkaClientProperties kafkaProperties, String clientId) {
        this.admin = Admin.create(kafkaProperties.forAdmin(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-health",
                // /ready must answer within seconds, not after the default 60 s API timeout.
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2500)));
    }

    /** Empty when the cluster answered with at least one broker, otherwise why not. */
    public Optional<String> problem() {
        try {
            return admin.describeCluster().nodes().get(2500, TimeUnit.MILLISECONDS).isEmpty()
                    ? Optional.of("no broker in the cluster")
                    : Optional.empty();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of("cannot reach Kafka: " + cause.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}

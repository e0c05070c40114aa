package org.orderflow.outbox;

import java.time.Duration;

/**
 * Settings of an {@link OutboxRelay}.
 *
 * @param bootstrapServers Kafka cluster to publish to
 * @param clientId         Kafka client id (the service's name)
 * @param batchSize        rows read and published per round
 * @param pollInterval     longest wait for new rows when no wake-up arrives (one can be lost while the relay
 *                         reconnects, and rows inserted by other means wake nobody): at most 1 s keeps that delay short
 * @param maxBackoff       longest pause between attempts while Kafka or the database is unavailable
 */
public record RelayConfig(String bootstrapServers, String clientId, int batchSize, Duration pollInterval, Duration maxBackoff) {

    public static RelayConfig defaults(String bootstrapServers, String clientId) {
        return new RelayConfig(bootstrapServers, clientId, 1000, Duration.ofSeconds(1), Duration.ofSeconds(5));
    }
}

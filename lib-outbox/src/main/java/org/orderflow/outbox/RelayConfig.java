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
 * @param stallAfter       {@link OutboxRelay#problem()} reports the outbox stalled once its oldest pending row is older
 * @param leaderSilence    a relay lock holder whose session sent no statement for this long is taken to be cut off
 *                         (a half-open connection): a standby ends its session and takes the lock. Longer than a
 *                         healthy relay's longest silence: a round while Kafka is away (5 s to block on metadata, 15 s
 *                         delivery timeout) plus {@code maxBackoff}
 */
public record RelayConfig(String bootstrapServers, String clientId, int batchSize, Duration pollInterval, Duration maxBackoff,
                          Duration stallAfter, Duration leaderSilence) {

    public static RelayConfig defaults(String bootstrapServers, String clientId) {
        return new RelayConfig(bootstrapServers, clientId, 1000, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    public RelayConfig withStallAfter(Duration stallAfter) {
        return new RelayConfig(bootstrapServers, clientId, batchSize, pollInterval, maxBackoff, stallAfter, leaderSilence);
    }

    public RelayConfig withLeaderSilence(Duration leaderSilence) {
        return new RelayConfig(bootstrapServers, clientId, batchSize, pollInterval, maxBackoff, stallAfter, leaderSilence);
    }

    public RelayConfig withPollInterval(Duration pollInterval) {
        return new RelayConfig(bootstrapServers, clientId, batchSize, pollInterval, maxBackoff, stallAfter, leaderSilence);
    }
}

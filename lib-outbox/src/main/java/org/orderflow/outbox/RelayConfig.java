package org.orderflow.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link OutboxRelay}; made by {@link #builder}, which names the defaults and validates in
 * {@link Builder#build()}.
 *
 * @param bootstrapServers Kafka cluster to publish to
 * @param clientId         Kafka client id (the service's name)
 * @param kafkaProperties  what the deployment gives every Kafka client (security, tuning); none by default
 * @param batchSize        rows read and published per round
 * @param pollInterval     longest wait for new rows when no wake-up arrives (one can be lost while the relay
 *                         reconnects, and rows inserted by other means wake nobody): at most 1 s keeps that delay short
 * @param maxBackoff       longest pause between attempts while Kafka or the database is unavailable
 * @param stallAfter       {@link OutboxRelay#problem()} reports the outbox stalled once its oldest pending row is older
 * @param leaderSilence    a relay lock holder whose session sent no statement for this long is taken to be cut off
 *                         (a half-open connection): a standby ends its session and takes the lock. Longer than a
 *                         healthy relay's longest silence: a round while Kafka is away (5 s to block on metadata, 15 s
 *                         delivery timeout) plus {@code maxBackoff}
 * @param clock            where the relay reads the time (its vacuum interval)
 * @param meterRegistry    where the relay's meters go ({@code orderflow.outbox.*}, its producer's client metrics); a
 *                         registry of its own by default
 * @param openTelemetry    the relay's spans ({@code publish <topic>}, one per row, child of the {@code traceparent} stored
 *                         with the row, whose place it takes in the record's headers); none by default
 */
public record RelayConfig(String bootstrapServers, String clientId, KafkaClientProperties kafkaProperties, int batchSize, Duration pollInterval, Duration maxBackoff,
                          Duration stallAfter, Duration leaderSilence, Clock clock, MeterRegistry meterRegistry,
                          OpenTelemetry openTelemetry) {
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LEADER_SILENCE = Duration.ofSeconds(30);

    public RelayConfig {
        Objects.requireNonNull(kafkaProperties, "kafkaProperties");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Settings for a relay publishing to {@code bootstrapServers} as {@code clientId}, with the defaults above. */
    public static Builder builder(String bootstrapServers, String clientId) {
        return new Builder(bootstrapServers, clientId);
    }

    /** Collects {@link RelayConfig}; {@link #build()} checks it. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String clientId;
        private KafkaClientProperties kafkaProperties = KafkaClientProperties.none();
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration stallAfter = DEFAULT_STALL_AFTER;
        private Duration leaderSilence = DEFAULT_LEADER_SILENCE;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private OpenTelemetry openTelemetry = OpenTelemetry.noop();

        private Builder(String bootstrapServers, String clientId) {
            this.bootstrapServers = bootstrapServers;
            this.clientId = clientId;
        }

        public Builder kafkaProperties(KafkaClientProperties properties) {
            this.kafkaProperties = properties;
            return this;
        }

        public Builder batchSize(int rows) {
            this.batchSize = rows;
            return this;
        }

        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = backoff;
            return this;
        }

        public Builder stallAfter(Duration age) {
            this.stallAfter = age;
            return this;
        }

        public Builder leaderSilence(Duration silence) {
            this.leaderSilence = silence;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder openTelemetry(OpenTelemetry telemetry) {
            this.openTelemetry = telemetry;
            return this;
        }

        /** The settings; IllegalArgumentException naming what is wrong. */
        public RelayConfig build() {
            require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap servers are required");
            require(clientId != null && !clientId.isBlank(), "a client id is required");
            require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
            require(positive(pollInterval) && positive(maxBackoff) && positive(stallAfter) && positive(leaderSilence),
                    "poll interval, backoff, stall age and leader silence must be positive");
            return new RelayConfig(bootstrapServers, clientId, kafkaProperties, batchSize, pollInterval, maxBackoff, stallAfter, leaderSilence, clock,
                    meterRegistry != null ? meterRegistry : new SimpleMeterRegistry(), openTelemetry);
        }

        private static boolean positive(Duration duration) {
            return !duration.isNegative() && !duration.isZero();
        }

        private static void require(boolean holds, String message) {
            if (!holds) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}

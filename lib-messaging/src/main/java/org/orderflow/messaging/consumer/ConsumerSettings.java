package org.orderflow.messaging.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.orderflow.outbox.KafkaClientProperties;

/**
 * Settings of an {@link EventConsumer}; made by {@link #builder}, which names the defaults and validates in
 * {@link Builder#build()}.
 *
 * @param bootstrapServers Kafka cluster
 * @param kafkaProperties  what the deployment gives every Kafka client (security, tuning); none by default
 * @param service          the service's name: consumer group, client id, and {@code dlq_service} of dead letters
 * @param topics           topics to subscribe to
 * @param typeByTopic      event type of records without CloudEvents headers, per topic (unlisted: the topic's name)
 * @param threads          consumers in the group in this process (each takes its share of the partitions)
 * @param maxAttempts      attempts of a failing, non-transient record before it is dead-lettered
 * @param initialBackoff   first wait before retrying a failed record; doubles up to {@code maxBackoff}
 * @param maxBackoff       longest wait between retries
 * @param maxPollRecords   records applied per transaction at most
 * @param inboxRetention   how long processed event ids are kept (longer than the topics' retention)
 * @param fetchWait        how long the broker may hold a fetch to gather more records: zero answers at the first
 *                         record, as a step of the pipeline must; a read model that may lag a little gets fewer,
 *                         larger batches, so fewer transactions
 * @param followUpTopics   topics consumed apart, by one more thread in consumer group {@code <service>-follow-ups}:
 *                         events nothing in the pipeline waits for (clean-up, compensation), which then neither hold
 *                         up the pipeline's events in one transaction nor cost a transaction each
 * @param followUpFetchWait the {@code fetchWait} of the follow-up consumer
 * @param instanceId       this process's stable name among the service's instances ({@code svc-order-1}), or empty:
 *                         when present each consumer is a static member of its group ({@code group.instance.id} is
 *                         this name and the consumer's suffix), so a restarted instance takes its partitions back
 *                         without a rebalance, within the session timeout
 * @param clock            where the consumer reads the time: retry waits, commit intervals, latencies
 * @param meterRegistry    where the consumer's meters go ({@code orderflow.consumer.*}, its Kafka clients' metrics); a
 *                         registry of its own by default
 * @param openTelemetry    the consumer's spans ({@code apply <type>}, one per event applied, child of its
 *                         {@code traceparent}); none by default
 */
public record ConsumerSettings(String bootstrapServers, KafkaClientProperties kafkaProperties, String service, List<String> topics, Map<String, String> typeByTopic,
                               int threads, int maxAttempts, Duration initialBackoff, Duration maxBackoff, int maxPollRecords,
                               Duration inboxRetention, Duration fetchWait, List<String> followUpTopics, Duration followUpFetchWait,
                               Optional<String> instanceId, Clock clock, MeterRegistry meterRegistry, OpenTelemetry openTelemetry) {
    /** The suffix of the follow-up consumer's group. */
    public static final String FOLLOW_UPS = "-follow-ups";
    public static final int DEFAULT_THREADS = 1;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    /** One poll is one database transaction: bounded so that a batch commits in tens of milliseconds. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 500;
    /** A day longer than the topics' retention (7 days): a record can never outlive its inbox row. */
    public static final Duration DEFAULT_INBOX_RETENTION = Duration.ofDays(8);

    public ConsumerSettings {
        topics = List.copyOf(topics);
        typeByTopic = Map.copyOf(typeByTopic);
        followUpTopics = List.copyOf(followUpTopics);
        Objects.requireNonNull(kafkaProperties, "kafkaProperties");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Settings for consuming {@code topics} as {@code service}, with the defaults above until changed. */
    public static Builder builder(String bootstrapServers, String service, List<String> topics) {
        return new Builder(bootstrapServers, service, topics);
    }

    /** Collects {@link ConsumerSettings}; {@link #build()} checks them together. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String service;
        private final List<String> topics;
        private KafkaClientProperties kafkaProperties = KafkaClientProperties.none();
        private Map<String, String> typeByTopic = Map.of();
        private int threads = DEFAULT_THREADS;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
        private Duration inboxRetention = DEFAULT_INBOX_RETENTION;
        private Duration fetchWait = Duration.ZERO;
        private List<String> followUpTopics = List.of();
        private Duration followUpFetchWait = Duration.ZERO;
        private Optional<String> instanceId = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private OpenTelemetry openTelemetry = OpenTelemetry.noop();

        private Builder(String bootstrapServers, String service, List<String> topics) {
            this.bootstrapServers = bootstrapServers;
            this.service = service;
            this.topics = List.copyOf(topics);
        }

        public Builder kafkaProperties(KafkaClientProperties properties) {
            this.kafkaProperties = properties;
            return this;
        }

        public Builder typeByTopic(Map<String, String> types) {
            this.typeByTopic = types;
            return this;
        }

        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        public Builder retries(int attempts, Duration initial, Duration max) {
            this.maxAttempts = attempts;
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder maxPollRecords(int records) {
            this.maxPollRecords = records;
            return this;
        }

        public Builder inboxRetention(Duration retention) {
            this.inboxRetention = retention;
            return this;
        }

        public Builder fetchWait(Duration wait) {
            this.fetchWait = wait;
            return this;
        }

        /** Consumes {@code topics} apart, letting the broker gather their records for {@code wait}; see {@link #followUpTopics}. */
        public Builder followUps(List<String> followUps, Duration wait) {
            this.followUpTopics = followUps;
            this.followUpFetchWait = wait;
            return this;
        }

        /** Makes each consumer a static member of its group, named after this instance; see {@link #instanceId}. */
        public Builder instanceId(String instance) {
            this.instanceId = Optional.of(instance);
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

        /** The settings; IllegalArgumentException naming what is wrong when they do not fit together. */
        public ConsumerSettings build() {
            require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap servers are required");
            require(service != null && !service.isBlank(), "a service name is required");
            require(!topics.isEmpty() || !followUpTopics.isEmpty(), "at least one topic is required");
            require(threads >= 1, "threads must be at least 1, got " + threads);
            require(maxAttempts >= 1, "max attempts must be at least 1, got " + maxAttempts);
            require(positive(initialBackoff) && maxBackoff.compareTo(initialBackoff) >= 0,
                    "backoffs must be positive and the longest at least the first, got " + initialBackoff + " and " + maxBackoff);
            require(maxPollRecords >= 1, "max poll records must be at least 1, got " + maxPollRecords);
            require(positive(inboxRetention), "inbox retention must be positive, got " + inboxRetention);
            require(!fetchWait.isNegative() && !followUpFetchWait.isNegative(),
                    "fetch waits must not be negative, got " + fetchWait + " and " + followUpFetchWait);
            require(instanceId.isEmpty() || instanceId.get().matches("[A-Za-z0-9._-]{1,100}"),
                    "an instance id is 1 to 100 letters, digits, '.', '_' or '-', got '" + instanceId.orElse("") + "'");
            require(followUpTopics.stream().noneMatch(topics::contains),
                    "a topic is either followed up or not: " + topics + " and " + followUpTopics);
            return new ConsumerSettings(bootstrapServers, kafkaProperties, service, topics, typeByTopic, threads, maxAttempts, initialBackoff, maxBackoff,
                    maxPollRecords, inboxRetention, fetchWait, followUpTopics, followUpFetchWait, instanceId, clock,
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

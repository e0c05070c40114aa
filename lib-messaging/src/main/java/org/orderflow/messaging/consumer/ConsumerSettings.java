package org.orderflow.messaging.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of an {@link EventConsumer}.
 *
 * @param bootstrapServers Kafka cluster
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
 * @param instanceId   this process's stable name among the service's instances ({@code svc-order-1}), or empty:
 *                     when present each consumer is a static member of its group ({@code group.instance.id} is this
 *                     name and the consumer's suffix), so a restarted instance takes its partitions back without a
 *                     rebalance, within the session timeout
 */
public record ConsumerSettings(String bootstrapServers, String service, List<String> topics, Map<String, String> typeByTopic,
                               int threads, int maxAttempts, Duration initialBackoff, Duration maxBackoff, int maxPollRecords,
                               Duration inboxRetention, Duration fetchWait, List<String> followUpTopics, Duration followUpFetchWait,
                               Optional<String> instanceId) {
    /** The suffix of the follow-up consumer's group. */
    public static final String FOLLOW_UPS = "-follow-ups";

    public ConsumerSettings {
        topics = List.copyOf(topics);
        typeByTopic = Map.copyOf(typeByTopic);
        followUpTopics = List.copyOf(followUpTopics);
        if (fetchWait.isNegative() || followUpFetchWait.isNegative()) {
            throw new IllegalArgumentException("fetch waits must not be negative, got " + fetchWait + " and " + followUpFetchWait);
        }
        if (instanceId.isPresent() && !instanceId.get().matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("an instance id is 1 to 100 letters, digits, '.', '_' or '-', got '" + instanceId.get() + "'");
        }
        if (followUpTopics.stream().anyMatch(topics::contains)) {
            throw new IllegalArgumentException("a topic is either followed up or not: " + topics + " and " + followUpTopics);
        }
    }

    public static ConsumerSettings defaults(String bootstrapServers, String service, List<String> topics) {
        return new ConsumerSettings(bootstrapServers, service, topics, Map.of(), 1, 5, Duration.ofMillis(100),
                Duration.ofSeconds(10), 500, Duration.ofDays(8), Duration.ZERO, List.of(), Duration.ZERO, Optional.empty());
    }

    public ConsumerSettings withTypeByTopic(Map<String, String> types) {
        return new ConsumerSettings(bootstrapServers, service, topics, types, threads, maxAttempts, initialBackoff, maxBackoff,
                maxPollRecords, inboxRetention, fetchWait, followUpTopics, followUpFetchWait, instanceId);
    }

    public ConsumerSettings withThreads(int count) {
        return new ConsumerSettings(bootstrapServers, service, topics, typeByTopic, count, maxAttempts, initialBackoff, maxBackoff,
                maxPollRecords, inboxRetention, fetchWait, followUpTopics, followUpFetchWait, instanceId);
    }

    public ConsumerSettings withRetries(int attempts, Duration initial, Duration max) {
        return new ConsumerSettings(bootstrapServers, service, topics, typeByTopic, threads, attempts, initial, max,
                maxPollRecords, inboxRetention, fetchWait, followUpTopics, followUpFetchWait, instanceId);
    }

    public ConsumerSettings withFetchWait(Duration wait) {
        return new ConsumerSettings(bootstrapServers, service, topics, typeByTopic, threads, maxAttempts, initialBackoff, maxBackoff,
                maxPollRecords, inboxRetention, wait, followUpTopics, followUpFetchWait, instanceId);
    }

    /** Consumes {@code topics} apart, letting the broker gather their records for {@code wait}; see {@link #followUpTopics}. */
    public ConsumerSettings withFollowUps(List<String> followUps, Duration wait) {
        return new ConsumerSettings(bootstrapServers, service, topics, typeByTopic, threads, maxAttempts, initialBackoff, maxBackoff,
                maxPollRecords, inboxRetention, fetchWait, followUps, wait, instanceId);
    }

    /** Makes each consumer a static member of its group, named after this instance; see {@link #instanceId}. */
    public ConsumerSettings withInstanceId(String instance) {
        return new ConsumerSettings(bootstrapServers, service, topics, typeByTopic, threads, maxAttempts, initialBackoff, maxBackoff,
                maxPollRecords, inboxRetention, fetchWait, followUpTopics, followUpFetchWait, Optional.of(instance));
    }
}

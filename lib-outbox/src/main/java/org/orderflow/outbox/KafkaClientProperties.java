package org.orderflow.outbox;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client properties that a deployment gives to every producer, consumer and admin client of a service: the
 * cluster's security ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) and any tuning. Each client takes the
 * properties its kind knows, after the runtime's own settings, so a deployment may change a timeout or the linger.
 *
 * <p>The properties the runtime's guarantees rest on are refused, not overridden: serializers, client and group ids,
 * offset commits, acknowledgements and idempotence, where a new group starts, the assignor, the poll size (see
 * {@link #RESERVED}). A name no Kafka client knows is refused too, so a typo fails at start instead of leaving a
 * cluster's security unset.
 *
 * <p>Values are never printed: {@link #toString()} lists the names only, as a JAAS configuration holds a password.
 * Immutable and thread-safe.
 */
public final class KafkaClientProperties {
    /** Set by the runtime; the reason is in the message when one is given. */
    public static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "the cluster is given on its own (KAFKA_BOOTSTRAP_SERVERS)"),
            Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "client ids name the service and its instance"),
            Map.entry(ConsumerConfig.GROUP_ID_CONFIG, "the consumer group is the service's name"),
            Map.entry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "static membership follows INSTANCE_ID"),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "records are written as the event contract says"),
            Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "records are written as the event contract says"),
            Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "an undecodable record must reach the dead-letter queue"),
            Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "an undecodable record must reach the dead-letter queue"),
            Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "offsets are committed after the inbox transaction"),
            Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "a new group starts at the oldest record, so that no event is lost"),
            Map.entry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "the consumer commits on revocation as the cooperative assignor needs"),
            Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "a poll is one transaction, sized by the consumer's settings"),
            Map.entry(ProducerConfig.ACKS_CONFIG, "an outbox row is deleted only once every in-sync replica has it"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "retries must not duplicate or reorder events"),
            Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the outbox, not Kafka transactions, makes publishing atomic"));

    private static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());

    private final Map<String, String> properties;

    private KafkaClientProperties(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    /** No properties: clients with the runtime's settings alone. */
    public static KafkaClientProperties none() {
        return NONE;
    }

    /** The given properties; IllegalArgumentException naming the first one that is reserved or unknown to Kafka. */
    public static KafkaClientProperties of(Map<String, String> properties) {
        for (String name : new TreeSet<>(properties.keySet())) {
            String reason = RESERVED.get(name);
            if (reason != null) {
                throw new IllegalArgumentException("Kafka client property " + name + " is set by the runtime: " + reason);
            }
            if (!isClientProperty(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a property of a Kafka producer, consumer or admin client");
            }
        }
        return properties.isEmpty() ? NONE : new KafkaClientProperties(properties);
    }

    /**
     * The properties of a Java properties file, such as the {@code client.properties} Kafka's own tools take with
     * {@code --command-config}; IllegalArgumentException naming the file and the first reserved or unknown name.
     */
    public static KafkaClientProperties fromFile(Path file) {
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> properties = new HashMap<>();
        loaded.stringPropertyNames().forEach(name -> properties.put(name.trim(), loaded.getProperty(name).trim()));
        try {
            return of(properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** These properties with {@code overrides} put over them; checked as {@link #of} checks. */
    public KafkaClientProperties with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(overrides);
        return of(merged);
    }

    /** Whether a producer, a consumer or an admin client knows {@code name}. */
    public static boolean isClientProperty(String name) {
        return ProducerConfig.configNames().contains(name) || ConsumerConfig.configNames().contains(name)
                || AdminClientConfig.configNames().contains(name);
    }

    /** A producer's settings: the runtime's {@code own}, then the properties a producer knows. */
    public Map<String, Object> forProducer(Map<String, Object> own) {
        return merged(own, ProducerConfig.configNames());
    }

    /** A consumer's settings: the runtime's {@code own}, then the properties a consumer knows. */
    public Map<String, Object> forConsumer(Map<String, Object> own) {
        return merged(own, ConsumerConfig.configNames());
    }

    /** An admin client's settings: the runtime's {@code own}, then the properties an admin client knows. */
    public Map<String, Object> forAdmin(Map<String, Object> own) {
        return merged(own, AdminClientConfig.configNames());
    }

    /** The names given, sorted. */
    public Set<String> names() {
        return new TreeSet<>(properties.keySet());
    }

    private Map<String, Object> merged(Map<String, Object> own, Set<String> known) {
        Map<String, Object> settings = new HashMap<>(own);
        properties.forEach((name, value) -> {
            if (known.contains(name)) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaClientProperties that && properties.equals(that.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    @Override
    public String toString() {
        return "KafkaClientProperties" + names();
    }
}

package org.orderflow.service.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.orderflow.outbox.KafkaClientProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka client properties of a deployment, from a properties file and from environment variables, given to every
 * producer, consumer and admin client of the service.
 *
 * <pre>
 *   KAFKA_PROPERTIES_FILE     a Java properties file of client properties (security.protocol=SASL_SSL, ...)
 *   KAFKA_&lt;NAME&gt;              one client property: the name in upper case with '_' for '.', e.g.
 *                             KAFKA_SECURITY_PROTOCOL=SASL_SSL, KAFKA_SASL_MECHANISM=SCRAM-SHA-512; it wins over the file
 *   KAFKA_&lt;NAME&gt;_FILE         the property's value read from a file (a mounted secret), e.g. KAFKA_SASL_JAAS_CONFIG_FILE
 * </pre>
 *
 * A variable that names no client property is left alone with a warning (a typo would otherwise leave the cluster's
 * security unset without a word), except the Kafka tools' and the local stack's own. A reserved or unknown property
 * in the file stops the service.
 */
final class KafkaEnvironment {
    private static final Logger log = LoggerFactory.getLogger(KafkaEnvironment.class);
    private static final String PREFIX = "KAFKA_";
    private static final String FILE_SUFFIX = "_FILE";
    static final String PROPERTIES_FILE = "KAFKA_PROPERTIES_FILE";
    /** Variables that are not client properties: ours, the local stack's, and the Kafka scripts' own. */
    private static final Set<String> NOT_CLIENT_PROPERTIES = Set.of("KAFKA_BOOTSTRAP_SERVERS", PROPERTIES_FILE, "KAFKA_PORT",
            "KAFKA_CONTROLLER_PORT", "KAFKA_PARTITIONS", "KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS", "KAFKA_LOG4J_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_CLUSTER_ID");

    private KafkaEnvironment() {
    }

    static KafkaClientProperties read(Env env) {
        KafkaClientProperties fromFile = env.path(PROPERTIES_FILE).map(KafkaEnvironment::fromFile).orElse(KafkaClientProperties.none());
        Map<String, String> properties = new TreeMap<>();
        for (String variable : env.withPrefix(PREFIX).keySet()) {
            if (NOT_CLIENT_PROPERTIES.contains(variable)) {
                continue;
            }
            String direct = propertyName(variable);
            boolean fromSecretFile = !KafkaClientProperties.isClientProperty(direct) && variable.endsWith(FILE_SUFFIX);
            String valueVariable = fromSecretFile ? variable.substring(0, variable.length() - FILE_SUFFIX.length()) : variable;
            String property = propertyName(valueVariable);
            if (!KafkaClientProperties.isClientProperty(property)) {
                log.warn("{} is not a Kafka client setting ({}) and is ignored", variable, property);
                continue;
            }
            String value = env.secret(valueVariable).orElseThrow();
            properties.put(property, checked(property, value, variable));
        }
        return fromFile.with(properties);
    }

    private static KafkaClientProperties fromFile(Path file) {
        try {
            return KafkaClientProperties.fromFile(file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PROPERTIES_FILE + " " + e.getMessage());
        }
    }

    private static String propertyName(String variable) {
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String checked(String property, String value, String source) {
        try {
            KafkaClientProperties.of(Map.of(property, value));
            return value;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }
}

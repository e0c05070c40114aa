package org.orderflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ConfigException;
import org.orderflow.service.config.Env;
import org.orderflow.service.config.ServiceDefaults;

/** What a deployment gives a service beyond the local stack: secrets from files, Kafka client security. */
class DeploymentSettingsTest {
    private static final ServiceDefaults ORDER = ServiceDefaults.of("svc-order", 8081, "order");
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"order\" password=\"s3cret\";";

    @TempDir
    Path dir;

    @Test
    void databasePasswordIsReadFromItsFileWithoutTheLineBreak() throws IOException {
        Path secret = Files.writeString(dir.resolve("db-password"), " from-a-file \n");

        CommonConfig config = config(Map.of("DB_URL", "jdbc:postgresql://db.internal/order_db?sslmode=verify-full",
                "DB_PASSWORD_FILE", secret.toString()));

        assertThat(config.database().password()).as("spaces may be part of it").isEqualTo(" from-a-file ");
        assertThat(config.database().toString()).doesNotContain("from-a-file").doesNotContain("sslmode");
    }

    @Test
    void aDatabaseOtherThanTheLocalStacksNeedsItsOwnPassword() {
        assertThatThrownBy(() -> config(Map.of("DB_URL", "jdbc:postgresql://db.internal/order_db")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DB_PASSWORD or DB_PASSWORD_FILE is required");
    }

    @Test
    void aSecretGivenTwiceOrFromAMissingFileIsRefused() throws IOException {
        Path secret = Files.writeString(dir.resolve("db-password"), "x");

        assertThatThrownBy(() -> config(Map.of("DB_PASSWORD", "y", "DB_PASSWORD_FILE", secret.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DB_PASSWORD and DB_PASSWORD_FILE are both set");
        assertThatThrownBy(() -> config(Map.of("DB_PASSWORD_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DB_PASSWORD_FILE must name a readable file");
    }

    @Test
    void kafkaVariablesBecomeClientPropertiesOfEveryKindOfClient() throws IOException {
        Path jaas = Files.writeString(dir.resolve("jaas"), JAAS + "\n");

        CommonConfig config = config(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(), "KAFKA_LINGER_MS", "5",
                "KAFKA_PORT", "9092", "KAFKA_HEAP_OPTS", "-Xmx1g"));

        Map<String, Object> consumer = config.kafkaProperties().forConsumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "svc-order"));
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "svc-order")
                .as("a producer's setting stays with producers").doesNotContainKey("linger.ms");
        assertThat(config.kafkaProperties().forProducer(Map.of())).containsEntry("linger.ms", "5");
        assertThat(config.kafkaProperties().forAdmin(Map.of())).containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("linger.ms");
        assertThat(config.toString()).as("values are never printed").doesNotContain("s3cret").contains("sasl.jaas.config");
    }

    @Test
    void aPropertiesFileGivesTheSameAndTheVariablesWin() throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\nssl.truststore.location=/etc/kafka/trust.p12\n");

        CommonConfig config = config(Map.of("KAFKA_PROPERTIES_FILE", file.toString(), "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        assertThat(config.kafkaProperties().forProducer(Map.of())).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/trust.p12");
    }

    @Test
    void propertiesTheRuntimesGuaranteesRestOnAreRefused() throws IOException {
        assertThatThrownBy(() -> config(Map.of("KAFKA_ENABLE_AUTO_COMMIT", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_ENABLE_AUTO_COMMIT")
                .hasMessageContaining("offsets are committed after the inbox transaction");
        Path file = Files.writeString(dir.resolve("client.properties"), "acks=1\n");
        assertThatThrownBy(() -> config(Map.of("KAFKA_PROPERTIES_FILE", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_PROPERTIES_FILE").hasMessageContaining("acks");
    }

    @Test
    void aTypoInTheFileStopsTheServiceWhileAStrayVariableIsLeftAlone() throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protokol=SSL\n");

        assertThatThrownBy(() -> config(Map.of("KAFKA_PROPERTIES_FILE", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'security.protokol' is not a property of a Kafka");
        assertThat(config(Map.of("KAFKA_SECURITY_PROTOKOL", "SSL")).kafkaProperties().names()).isEmpty();
    }

    private static CommonConfig config(Map<String, String> variables) {
        return CommonConfig.fromEnv(Env.of(authOff(new HashMap<>(variables))), ORDER);
    }

    /** The settings of a test about something else than authentication: AUTH=off, which needs no keys. */
    private static Map<String, String> authOff(Map<String, String> variables) {
        Map<String, String> withAuthOff = new java.util.HashMap<>(variables);
        withAuthOff.putIfAbsent("AUTH", "off");
        return withAuthOff;
    }
}

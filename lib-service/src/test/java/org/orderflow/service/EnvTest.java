package org.orderflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.ConfigException;
import org.orderflow.service.config.Env;

class EnvTest {

    @Test
    void defaultsMatchTheLocalStack() {
        CommonConfig config = CommonConfig.fromEnv(Env.of(authOff(Map.of())), ServiceDefaults.of("svc-order", 8081, "order"));

        assertThat(config.http().port()).isEqualTo(8081);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.http().maxConnections()).isEqualTo(500);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://localhost:5432/order_db");
        assertThat(config.database().user()).isEqualTo("order_user");
        assertThat(config.kafkaBootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void badPortNamesTheVariable() {
        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("HTTP_PORT", "eighty"))), ServiceDefaults.of("svc-order", 8081, "order")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HTTP_PORT")
                .hasMessageContaining("eighty");
    }

    @Test
    void poolTooSmallForTheRelayAndTheConsumersIsRefused() {
        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("DB_POOL_SIZE", "4", "CONSUMER_THREADS", "2"))), ServiceDefaults.of("svc-order", 8081, "order")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DB_POOL_SIZE 4")
                .hasMessageContaining("at least 5");
        assertThat(CommonConfig.fromEnv(Env.of(authOff(Map.of("DB_POOL_SIZE", "5", "CONSUMER_THREADS", "2"))), ServiceDefaults.of("svc-order", 8081, "order"))
                .database().maxPoolSize()).isEqualTo(5);
    }

    @Test
    void aFollowUpConsumerNeedsAConnectionOfItsOwn() {
        Env env = Env.of(authOff(Map.of("DB_POOL_SIZE", "5", "CONSUMER_THREADS", "2")));

        assertThatThrownBy(() -> CommonConfig.fromEnv(env, ServiceDefaults.of("svc-inventory", 8082, "inventory").withFollowUpConsumer()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the follow-up consumer")
                .hasMessageContaining("at least 6");
        assertThat(CommonConfig.fromEnv(Env.of(authOff(Map.of())), ServiceDefaults.of("svc-inventory", 8082, "inventory").withFollowUpConsumer()).followsUp()).isTrue();
    }

    @Test
    void unknownLogFormatAndAnOtlpProtocolTheJarsCannotSpeakAreRefused() {
        ServiceDefaults order = ServiceDefaults.of("svc-order", 8081, "order");

        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("LOG_FORMAT", "xml"))), order))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LOG_FORMAT").hasMessageContaining("text, json");
        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))), order))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("http/protobuf");
        CommonConfig json = CommonConfig.fromEnv(Env.of(authOff(Map.of("LOG_FORMAT", "JSON", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "DB_URL", "jdbc:postgresql://db/order_db", "DB_PASSWORD", "secret"))), order);
        assertThat(json.openTelemetryEnv()).as("only the OTEL_ variables").containsOnlyKeys("OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    @Test
    void malformedBootstrapServersIsRefused() {
        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost"))), ServiceDefaults.of("svc-order", 8081, "order")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void nonPostgresJdbcUrlIsRefused() {
        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("DB_URL", "jdbc:mysql://x/y"))), ServiceDefaults.of("svc-order", 8081, "order")))
                .hasMessageContaining("DB_URL");
    }

    @Test
    void aPipelineStepFetchesWithoutWaitingAndAViewWaitsWhatItsServiceSaysUnlessTold() {
        assertThat(CommonConfig.fromEnv(Env.of(authOff(Map.of())), ServiceDefaults.of("svc-inventory", 8082, "inventory")).consumerFetchWait()).isZero();
        assertThat(CommonConfig.fromEnv(Env.of(authOff(Map.of())), ServiceDefaults.of("svc-order", 8081, "order").withFetchWait(Duration.ofMillis(100))).consumerFetchWait())
                .isEqualTo(Duration.ofMillis(100));
        assertThat(CommonConfig.fromEnv(Env.of(authOff(Map.of("CONSUMER_FETCH_WAIT", "0"))), ServiceDefaults.of("svc-order", 8081, "order").withFetchWait(Duration.ofMillis(100)))
                .consumerFetchWait()).isZero();
        assertThatThrownBy(() -> CommonConfig.fromEnv(Env.of(authOff(Map.of("CONSUMER_FETCH_WAIT", "1m"))), ServiceDefaults.of("svc-order", 8081, "order")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONSUMER_FETCH_WAIT must be from 0 to 5000ms, got 60000ms");
    }

    @Test
    void durationsTakeAUnitOrMilliseconds() {
        Env env = Env.of(authOff(Map.of("A", "250", "B", "250ms", "C", "2s", "D", "1m", "E", "soon")));

        assertThat(env.duration("A", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(env.duration("B", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(env.duration("C", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(env.duration("D", Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> env.duration("E", Duration.ZERO)).hasMessageContaining("E must be a duration");
    }

    @Test
    void blankMeansUnset() {
        assertThat(Env.of(authOff(Map.of("HTTP_PORT", " "))).port("HTTP_PORT", 8081)).isEqualTo(8081);
    }

    /** The settings of a test about something else than authentication: AUTH=off, which needs no keys. */
    private static Map<String, String> authOff(Map<String, String> variables) {
        Map<String, String> withAuthOff = new java.util.HashMap<>(variables);
        withAuthOff.putIfAbsent("AUTH", "off");
        return withAuthOff;
    }
}

package org.orderflow.service;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.outbox.Outbox;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.http.ReadinessCheck;

/**
 * What every service connects to before its own wiring: its database (pool, migrations, Jdbi) and the Kafka
 * cluster (a health probe). Each is registered with the {@link Lifecycle}, so it is closed after whatever is
 * started later and uses it.
 */
public record Infrastructure(HikariDataSource dataSource, Jdbi jdbi, KafkaHealth kafkaHealth) {

    /**
     * Opens the pool (its meters in {@code registry}), applies the libraries' migrations (outbox, inbox) and then the
     * service's own (at the given classpath locations), and starts the Kafka probe.
     */
    public static Infrastructure open(CommonConfig config, Lifecycle lifecycle, MeterRegistry registry, String... serviceMigrations) {
        HikariDataSource dataSource = lifecycle.started("database pool", Database.pool(config.database(), config.processName(), registry));
        // The libraries' first, then the service's, under one turn of the migration lock.
        Database.migrate(dataSource, Stream.concat(Stream.of(Outbox.MIGRATIONS, EventConsumer.MIGRATIONS), Stream.of(serviceMigrations))
                .toArray(String[]::new));
        KafkaHealth kafkaHealth = lifecycle.started("kafka health probe",
                new KafkaHealth(config.kafkaBootstrapServers(), config.kafkaProperties(), config.processName()));
        return new Infrastructure(dataSource, Database.jdbi(dataSource), kafkaHealth);
    }

    /** The checks /ready runs: the database answers and Kafka answers. Services add their own (consumers). */
    public Map<String, ReadinessCheck> readinessChecks() {
        return Map.of("database", () -> Database.problem(dataSource), "kafka", kafkaHealth::problem);
    }
}

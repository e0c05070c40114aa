package org.orderflow.service;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.KafkaHealth;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.http.ReadinessCheck;

/**
 * What every service connects to before its own wiring: its database (pool, migrations, Jdbi) and the Kafka
 * cluster (a health probe). Each is registered with the {@link Lifecycle}, so it is closed after whatever is
 * started later and uses it.
 */
public record Infrastructure(HikariDataSource dataSource, Jdbi jdbi, KafkaHealth kafkaHealth) {

    /**
     * Opens the pool, applies the migrations at the given classpath locations (the service's own first, then those
     * of its libraries) and starts the Kafka probe.
     */
    public static Infrastructure open(CommonConfig config, Lifecycle lifecycle, String... migrationLocations) {
        HikariDataSource dataSource = lifecycle.started("database pool", Database.pool(config.database(), config.serviceName()));
        Database.migrate(dataSource, migrationLocations);
        KafkaHealth kafkaHealth = lifecycle.started("kafka health probe",
                new KafkaHealth(config.kafkaBootstrapServers(), config.serviceName()));
        return new Infrastructure(dataSource, Database.jdbi(dataSource), kafkaHealth);
    }

    /** The checks /ready runs: the database answers and Kafka answers. Services add their own (consumers). */
    public Map<String, ReadinessCheck> readinessChecks() {
        return Map.of("database", () -> Database.problem(dataSource), "kafka", kafkaHealth::problem);
    }
}

package org.orderflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.RealServers;
import org.orderflow.messaging.consumer.EventConsumer;
import org.orderflow.outbox.Outbox;
import org.orderflow.service.config.CommonConfig.DatabaseConfig;

/** Instances of one service started together on a fresh database, as `make up INSTANCES=2` and a deployment do. */
class ConcurrentMigrationIT {
    private static final int INSTANCES = 4;
    private static final int ROUNDS = 10;

    @Test
    void instancesMigratingAFreshDatabaseAtOnceAllStartAndEachMigrationIsAppliedOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RealServers.TestDatabase database = RealServers.shared().newDatabase("migrate");
            List<HikariDataSource> pools = new ArrayList<>();
            try {
                CyclicBarrier together = new CyclicBarrier(INSTANCES);
                List<CompletableFuture<Void>> instances = new ArrayList<>();
                for (int instance = 0; instance < INSTANCES; instance++) {
                    HikariDataSource pool = Database.pool(new DatabaseConfig(database.jdbcUrl(), database.user(), database.password(), 4,
                            Duration.ofSeconds(30)), "migrate-" + instance, new SimpleMeterRegistry());
                    pools.add(pool);
                    instances.add(CompletableFuture.runAsync(() -> {
                        await(together);
                        Database.migrate(pool, Outbox.MIGRATIONS, EventConsumer.MIGRATIONS);
                    }));
                }

                CompletableFuture.allOf(instances.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

                Jdbi jdbi = Database.jdbi(pools.get(0));
                for (String history : List.of("schema_history_outbox", "schema_history_inbox")) {
                    List<String> versions = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT version FROM " + history + " WHERE success AND version IS NOT NULL GROUP BY version HAVING count(*) > 1")
                            .mapTo(String.class).list());
                    assertThat(versions).as("versions applied twice in " + history).isEmpty();
                }
            } finally {
                pools.forEach(HikariDataSource::close);
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.orderflow.service;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.orderflow.service.config.CommonConfig.DatabaseConfig;

/** The service's own PostgreSQL database: pool, migrations and Jdbi. */
public final class Database {
    /**
     * The session advisory lock that instances migrating one database take in turn. Flyway locks a history table only
     * once it exists: two instances starting on a fresh database both found {@code schema_history_outbox} missing,
     * both created it, and the second exited ("Unable to baseline schema history table ... as it already exists, and
     * is empty"). Advisory locks are per database, so services sharing a server do not wait for each other.
     */
    static final long MIGRATION_LOCK = 0x6f72_6465_7266_6d69L; // "orderfmi"

    private Database() {
    }

    /** The pool, its meters ({@code hikaricp_connections_*}: active, idle, pending, timeouts, usage) in {@code registry}. */
    public static HikariDataSource pool(DatabaseConfig config, String poolName, MeterRegistry registry) {
        HikariConfig hikari = new HikariConfig();
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setPoolName(poolName);
        // Names the service in pg_stat_activity: who holds a lock, whose statement is slow (orderflow outbox status).
        hikari.addDataSourceProperty("ApplicationName", poolName);
        // JDBC batches (outbox appends, inbox rows) become multi-row INSERTs: one round trip instead of one per row.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Start even when the database is down: /ready reports it, and the pool connects once it is back.
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(5_000);
        // A database that vanished without closing its connections (a host or network gone) shows within seconds,
        // not after the operating system's two hours of TCP keepalive: a statement unanswered for socketTimeout fails
        // and its connection is dropped; idle connections are checked every 30 s; a connection attempt gives up in 5 s.
        hikari.addDataSourceProperty("socketTimeout", Long.toString(Math.max(1, config.socketTimeout().toSeconds())));
        hikari.addDataSourceProperty("connectTimeout", "5");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.setKeepaliveTime(30_000);
        // The server's side of the same: it ends a session whose client vanished after about a minute, and a
        // transaction left open by a stuck client after a minute, so that no lock is held for hours.
        hikari.setConnectionInitSql("SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3; "
                + "SET idle_in_transaction_session_timeout = '60s'");
        return new HikariDataSource(hikari);
    }

    /**
     * Applies the migrations at each classpath location (the service's own, and those its libraries ship such as
     * {@code db/outbox}). Each location keeps its own history table ({@code schema_history_<last segment>}), so a
     * library numbers its migrations without colliding with the service's. Instances that start together take turns
     * ({@link #MIGRATION_LOCK}).
     */
    public static void migrate(DataSource dataSource, String... locations) {
        try (Connection turn = dataSource.getConnection()) {
            advisoryLock(turn, "pg_advisory_lock");
            try {
                for (String location : locations) {
                    migrate(dataSource, location);
                }
            } finally {
                advisoryLock(turn, "pg_advisory_unlock"); // the pool keeps the session, and a session lock with it
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the database's migration lock: " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource, String location) {
        String name = location.substring(location.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9_]", "_");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + location)
                .table("schema_history_" + name)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    private static void advisoryLock(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, MIGRATION_LOCK);
            statement.execute();
        }
    }

    public static Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /** A readiness check: empty when a connection can be had and answers, otherwise why not. */
    public static Optional<String> problem(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? Optional.empty() : Optional.of("connection is not valid");
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }
}

package org.orderflow.outbox;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.devstack.RealServers;

/** A fresh database with the outbox migration applied, for one test. */
record OutboxDatabase(RealServers.TestDatabase database, HikariDataSource dataSource, Jdbi jdbi) implements AutoCloseable {

    static OutboxDatabase create() {
        RealServers.TestDatabase database = RealServers.shared().newDatabase("outbox");
        HikariDataSource dataSource = pool(database.jdbcUrl(), database);
        Flyway.configure().dataSource(dataSource).locations("classpath:" + Outbox.MIGRATIONS).load().migrate();
        return new OutboxDatabase(database, dataSource, Jdbi.create(dataSource));
    }

    /** Another pool on the same database, reached through a proxy listening on {@code port} of loopback. */
    HikariDataSource poolThrough(int port) {
        return pool(database.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/"), database);
    }

    int port() {
        return Integer.parseInt(database.jdbcUrl().replaceFirst(".*//[^:/]+:(\\d+)/.*", "$1"));
    }

    long parkedRows() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox_parked").mapTo(Long.class).one());
    }

    private static HikariDataSource pool(String url, RealServers.TestDatabase database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(database.user());
        dataSource.setPassword(database.password());
        dataSource.setMaximumPoolSize(8);
        dataSource.setConnectionTimeout(3_000);
        return dataSource;
    }

    long pendingRows() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
    }

    /** VACUUMs of the outbox table not run by autovacuum. */
    long manualVacuums() {
        return jdbi.withHandle(h -> h.createQuery("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'outbox'")
                .mapTo(Long.class).one());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

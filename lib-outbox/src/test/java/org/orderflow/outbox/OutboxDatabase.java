package org.orderflow.outbox;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.devstack.RealServers;

/** A fresh database with the outbox migration applied, for one test. */
record OutboxDatabase(HikariDataSource dataSource, Jdbi jdbi) implements AutoCloseable {

    static OutboxDatabase create() {
        RealServers.TestDatabase database = RealServers.shared().newDatabase("outbox");
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(database.user());
        dataSource.setPassword(database.password());
        dataSource.setMaximumPoolSize(8);
        Flyway.configure().dataSource(dataSource).locations("classpath:" + Outbox.MIGRATIONS).load().migrate();
        return new OutboxDatabase(dataSource, Jdbi.create(dataSource));
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

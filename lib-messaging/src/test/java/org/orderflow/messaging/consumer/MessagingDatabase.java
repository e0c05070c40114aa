package org.orderflow.messaging.consumer;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.devstack.RealServers;
import org.orderflow.outbox.Outbox;

/** A fresh database with the outbox, the inbox and the test handler's table, for one test. */
record MessagingDatabase(HikariDataSource dataSource, Jdbi jdbi) implements AutoCloseable {

    static MessagingDatabase create(String jdbcUrl, String user, String password) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl);
        dataSource.setUsername(user);
        dataSource.setPassword(password);
        dataSource.setMaximumPoolSize(6);
        dataSource.setConnectionTimeout(2000);
        // The database may be stopped by a test: the pool must come up without it and reconnect afterwards.
        dataSource.setInitializationFailTimeout(-1);
        for (String location : new String[] {Outbox.MIGRATIONS, "db/inbox", "db/testapp"}) {
            Flyway.configure().dataSource(dataSource).locations("classpath:" + location)
                    .table("schema_history_" + location.substring(location.lastIndexOf('/') + 1))
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        }
        return new MessagingDatabase(dataSource, Jdbi.create(dataSource));
    }

    static MessagingDatabase create() {
        RealServers.TestDatabase database = RealServers.shared().newDatabase("messaging");
        return create(database.jdbcUrl(), database.user(), database.password());
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

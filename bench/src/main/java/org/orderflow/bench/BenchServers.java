package org.orderflow.bench;

import java.nio.file.Path;
import org.orderflow.devstack.Databases;
import org.orderflow.devstack.FreePorts;
import org.orderflow.devstack.LocalKafka;
import org.orderflow.devstack.LocalPostgres;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.ScratchDirectory;

/**
 * Kafka and PostgreSQL for a benchmark run, with durable settings (fsync and synchronous_commit on; the producers
 * use acks=all), in a scratch directory, stopped when the run ends.
 */
final class BenchServers implements AutoCloseable {
    final LocalKafka kafka;
    final LocalPostgres postgres;
    final Databases databases;

    private BenchServers(LocalKafka kafka, LocalPostgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.databases = new Databases("localhost", postgres.port(), LocalPostgres.SUPERUSER, LocalPostgres.SUPERUSER_PASSWORD);
    }

    static BenchServers start() {
        Path home = ScratchDirectory.create("bench");
        LocalPostgres postgres = new LocalPostgres(home.resolve("postgres"), RealServers.binaryCache(), FreePorts.next(),
                RealServers.osUser(), false);
        LocalKafka kafka = new LocalKafka(home.resolve("kafka"), FreePorts.next(), FreePorts.next());
        ScratchDirectory.deleteOnExit(home, kafka::stop, postgres::stop);
        postgres.start();
        kafka.start(false);
        return new BenchServers(kafka, postgres);
    }

    @Override
    public void close() {
        kafka.stop();
        postgres.stop();
    }
}

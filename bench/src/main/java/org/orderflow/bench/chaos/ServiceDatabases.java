package org.orderflow.bench.chaos;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.devstack.Databases;
import org.orderflow.devstack.LocalPostgres;

/** The services' own databases on the stack's PostgreSQL, read as its superuser (as `make up` creates it). */
final class ServiceDatabases {
    private final Databases server;
    private final Map<String, Jdbi> byService = new ConcurrentHashMap<>();

    ServiceDatabases(int port) {
        this.server = new Databases("localhost", port, LocalPostgres.SUPERUSER, LocalPostgres.SUPERUSER_PASSWORD);
    }

    /** The database of a service ("order" is order_db); each use opens a connection of its own. */
    Jdbi of(String service) {
        return byService.computeIfAbsent(service, name -> Jdbi.create(server.jdbcUrl(name + "_db") + "?connectTimeout=5&socketTimeout=60",
                server.superuser(), server.superuserPassword()));
    }
}

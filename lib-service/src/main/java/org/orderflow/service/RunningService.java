package org.orderflow.service;

import io.javalin.Javalin;
import java.util.List;
import java.util.Optional;
import org.orderflow.service.config.HttpSettings;
import org.orderflow.service.http.Api;

/**
 * A started service: its HTTP server (and management server, with MANAGEMENT_PORT) and everything it started before.
 * {@link #close()} stops the HTTP server first and the database pool last.
 */
public record RunningService(Javalin http, Optional<Javalin> management, List<String> operations, Lifecycle lifecycle)
        implements AutoCloseable {

    /**
     * Starts the api on its host and port (0 for any free port) as the last step of the lifecycle; the management app
     * just before it, so that probes answer until the API has stopped.
     */
    public static RunningService serve(Api api, HttpSettings http, Lifecycle lifecycle) {
        api.management().ifPresent(management -> {
            management.start(http.host(), http.managementPort().orElseThrow());
            lifecycle.started("management http server", management::stop);
        });
        api.app().start(http.host(), http.port());
        lifecycle.started("http server", api.app()::stop);
        return new RunningService(api.app(), api.management(), api.operations(), lifecycle);
    }

    /** The API's port. */
    public int port() {
        return http.port();
    }

    /** The port of /health, /ready and /metrics: the management port, or the API's. */
    public int managementPort() {
        return management.orElse(http).port();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}

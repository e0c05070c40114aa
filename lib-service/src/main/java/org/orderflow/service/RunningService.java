package org.orderflow.service;

import io.javalin.Javalin;
import java.util.List;
import org.orderflow.service.config.HttpSettings;
import org.orderflow.service.http.Api;

/**
 * A started service: its HTTP server and everything it started before. {@link #close()} stops the HTTP server first
 * and the database pool last.
 */
public record RunningService(Javalin http, List<String> operations, Lifecycle lifecycle) implements AutoCloseable {

    /** Starts the api on its host and port (0 for any free port) as the last step of the lifecycle. */
    public static RunningService serve(Api api, HttpSettings http, Lifecycle lifecycle) {
        api.app().start(http.host(), http.port());
        lifecycle.started("http server", api.app()::stop);
        return new RunningService(api.app(), api.operations(), lifecycle);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}

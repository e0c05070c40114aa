package org.orderflow.service;

import io.javalin.Javalin;

/**
 * A started service: its HTTP server and everything it started before. {@link #close()} stops the HTTP server first
 * and the database pool last.
 */
public record RunningService(Javalin http, Lifecycle lifecycle) implements AutoCloseable {

    /** Starts {@code http} on {@code port} (0 for any free port) as the last step of the lifecycle. */
    public static RunningService serve(Javalin http, int port, Lifecycle lifecycle) {
        http.start(port);
        lifecycle.started("http server", http::stop);
        return new RunningService(http, lifecycle);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}

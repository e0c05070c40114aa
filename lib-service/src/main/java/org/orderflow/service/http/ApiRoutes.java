package org.orderflow.service.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers a service's routes with Javalin and remembers them ("GET /orders/{id}"), so that a test can hold the
 * OpenAPI document against the routes that really exist.
 */
public final class ApiRoutes {
    private final RoutesConfig routes;
    private final List<String> operations = new ArrayList<>();

    ApiRoutes(RoutesConfig routes) {
        this.routes = routes;
    }

    public ApiRoutes get(String path, Handler handler) {
        routes.get(path, checked(path, handler));
        return record("GET", path);
    }

    public ApiRoutes post(String path, Handler handler) {
        routes.post(path, checked(path, handler));
        return record("POST", path);
    }

    public ApiRoutes put(String path, Handler handler) {
        routes.put(path, checked(path, handler));
        return record("PUT", path);
    }

    public ApiRoutes delete(String path, Handler handler) {
        routes.delete(path, checked(path, handler));
        return record("DELETE", path);
    }

    /**
     * Every route's parameters are bounded ({@link Input#checkParameters}) before its handler runs; the route's
     * template is noted for its meter and span ({@link RequestTelemetry}).
     */
    private static Handler checked(String path, Handler handler) {
        return ctx -> {
            ctx.attribute(RequestTelemetry.ROUTE, path);
            Input.checkParameters(ctx);
            handler.handle(ctx);
        };
    }

    List<String> operations() {
        return List.copyOf(operations);
    }

    private ApiRoutes record(String method, String path) {
        operations.add(method + " " + path);
        return this;
    }
}

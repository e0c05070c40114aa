package org.orderflow.service.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orderflow.service.auth.Caller;

/**
 * Registers a service's routes with Javalin and remembers them ("GET /orders/{id}"), so that a test can hold the
 * OpenAPI document against the routes that really exist. Every route needs an authenticated caller
 * ({@link #caller(Context)}) unless registered through {@link #open()}; those of {@link #operatorOnly()} need an
 * operator (403 for anyone else).
 */
public final class ApiRoutes {
    private enum Access { OPEN, CALLER, OPERATOR }

    private final RoutesConfig routes;
    private final Authenticator authenticator;
    private final Access access;
    private final List<String> operations;

    ApiRoutes(RoutesConfig routes, Authenticator authenticator) {
        this(routes, authenticator, Access.CALLER, new ArrayList<>());
    }

    private ApiRoutes(RoutesConfig routes, Authenticator authenticator, Access access, List<String> operations) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.access = access;
        this.operations = operations;
    }

    /** The routes registered through the view this returns are for operators only. */
    public ApiRoutes operatorOnly() {
        return new ApiRoutes(routes, authenticator, Access.OPERATOR, operations);
    }

    /** The routes registered through the view this returns need no token: probes, metrics, documents, pages. */
    public ApiRoutes open() {
        return new ApiRoutes(routes, authenticator, Access.OPEN, operations);
    }

    /** Who sent the request a route's handler is serving; {@link Caller#OPEN} on an open route. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(Authenticator.CALLER);
        return caller != null ? caller : Caller.OPEN;
    }

    /**
     * Whose items a listing shows, given its {@code customer_id} query parameter: the one it names, or everyone's when
     * it names none, for an operator; the caller's own for a customer, which may name itself only (403 for another).
     */
    public static Optional<String> listedCustomer(Context ctx) {
        Caller caller = caller(ctx);
        Optional<String> named = Optional.ofNullable(ctx.queryParam("customer_id")).filter(id -> !id.isBlank());
        if (caller.operator()) {
            return named;
        }
        if (named.isPresent() && !named.get().equals(caller.subject())) {
            throw ProblemException.forbidden("A customer lists its own items only: customer_id is not the token's subject");
        }
        return Optional.of(caller.subject());
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
     * Before its handler runs, every route authenticates its caller as its access says, and bounds its parameters
     * ({@link Input#checkParameters}); the route's template is noted for its meter and span ({@link RequestTelemetry}).
     */
    private Handler checked(String path, Handler handler) {
        return ctx -> {
            ctx.attribute(RequestTelemetry.ROUTE, path);
            if (access != Access.OPEN) {
                Caller caller = authenticator.authenticate(ctx);
                if (access == Access.OPERATOR && !caller.operator()) {
                    throw ProblemException.forbidden("Only an operator may " + ctx.method() + " " + path);
                }
                ctx.attribute(Authenticator.CALLER, caller);
            }
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

package org.orderflow.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.orderflow.messaging.Json;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.DomainException;
import org.orderflow.service.observability.Observability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of a service: its own routes plus {@code GET /health} (the process is alive), {@code GET /ready}
 * (every {@link ReadinessCheck} passes, else 503 naming the ones that fail), {@code GET /metrics} (Prometheus) and, for
 * operators, {@code GET /admin/status} (readiness and a few figures as JSON, for the operations page).
 * Every error is an RFC 9457 problem+json: handlers throw, and the mappers here render. Every request is measured and
 * traced ({@link RequestTelemetry}).
 */
public final class HttpApi {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private HttpApi() {
    }

    /**
     * Creates (does not start) the app with the service's routes plus /health, /ready, /metrics, and /openapi.json and
     * its browsable form /docs ({@link ApiDocs}) when the service has an OpenAPI document; with a MANAGEMENT_PORT,
     * /health, /ready and /metrics are served by a second app of their own instead. Start them with
     * {@link org.orderflow.service.RunningService#serve}.
     *
     * <p>The service accepts {@link CommonConfig#httpMaxConnections} open connections at most; beyond it Jetty stops
     * accepting and new ones wait in the kernel's backlog. Each connection with a request in progress holds some 30 KB
     * of heap: at 1,000 POSTs/s, more than svc-order could take, the load generator's connections grew past 3,600 in
     * 14 s, and svc-order ran out of its 512 MB.
     */
    public static Api create(CommonConfig common, Observability observability, Map<String, ReadinessCheck> readiness,
                             Consumer<ApiRoutes> routes) {
        String serviceName = common.serviceName();
        Readiness checks = new Readiness(readiness);
        checks.register(observability.registry());
        byte[] openApi = OpenApiDocument.load(serviceName);
        List<String> operations = new java.util.ArrayList<>();
        RequestTelemetry telemetry = new RequestTelemetry(observability);
        Authenticator authenticator = new Authenticator(common.auth(), serviceName);
        Optional<Javalin> management = common.http().managementPort().map(port -> Javalin.create(config -> {
            serveLikeEveryApp(config, common);
            probes(new ApiRoutes(config.routes, authenticator).open(), serviceName, checks, observability);
        }));
        Javalin app = Javalin.create(config -> {
            serveLikeEveryApp(config, common);
            config.routes.before(telemetry::before);
            config.routes.after(telemetry::after);
            ApiRoutes api = new ApiRoutes(config.routes, authenticator);
            if (management.isEmpty()) {
                probes(api.open(), serviceName, checks, observability);
            }
            if (openApi != null) {
                api.open().get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
                ApiDocs.register(api.open(), serviceName);
            }
            routes.accept(api);
            new InstanceStatus(serviceName, common.processName(), checks, observability.registry(), Clock.systemUTC()).register(api.operatorOnly());
            operations.addAll(api.operations());
        });
        return new Api(app, management, List.copyOf(operations));
    }

    /** /health, /ready and /metrics: on the API's port, or on the management port of their own. */
    private static void probes(ApiRoutes open, String serviceName, Readiness checks, Observability observability) {
        open.get("/health", ctx -> ctx.json(Map.of("status", "UP", "service", serviceName)));
        open.get("/ready", ctx -> ready(ctx, serviceName, checks));
        open.get("/metrics", ctx -> {
            Observability.Scrape scrape = observability.scrape(ctx.header("Accept"));
            ctx.contentType(scrape.contentType()).result(scrape.body());
        });
    }

    /** What the API's app and the management app share: limits, security headers, JSON, errors as problems. */
    private static void serveLikeEveryApp(JavalinConfig config, CommonConfig common) {
        int maxConnections = common.http().maxConnections();
        config.startup.showJavalinBanner = false;
        config.jetty.modifyServer(server -> server.addBean(new NetworkConnectionLimit(maxConnections, server)));
        config.jsonMapper(new JavalinJackson(Json.mapper(), false));
        Hardening.apply(config, common.http());
        config.routes.exception(ProblemException.class, (e, ctx) -> {
            e.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
            e.challenge().ifPresent(challenge -> ctx.header("WWW-Authenticate", challenge));
            respond(ctx, e.problem());
        });
        config.routes.exception(DomainException.class, (e, ctx) -> respond(ctx, problemOf(e)));
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                respond(ctx, Problem.of(e.getStatus(), reason(e.getStatus()), e.getMessage())));
        config.routes.exception(JsonProcessingException.class, (e, ctx) -> respond(ctx, unreadableBody(e)));
        config.routes.exception(Exception.class, HttpApi::unexpected);
        config.routes.error(404, ctx -> {
            // Runs after the exception mappers too: keep a problem a handler already wrote.
            String written = ctx.res().getContentType();
            if (written == null || !written.startsWith(PROBLEM_JSON)) {
                respond(ctx, Problem.of(404, "Not found", "No route " + ctx.method() + " " + ctx.path()));
            }
        });
        config.routes.error(405, ctx -> respond(ctx, Problem.of(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path())));
    }

    private static void unexpected(Exception e, Context ctx) {
        if (isDataException(e)) {
            // A value the validation let through and PostgreSQL refused (out of range, not storable text):
            // the request's fault, not the service's. The validation should have named it; log to mend it.
            log.warn("Request on {} {} refused by the database: {}", ctx.method(), ctx.path(), e.toString());
            respond(ctx, Problem.of(400, "Invalid request", "A value of the request cannot be stored"));
            return;
        }
        log.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
        respond(ctx, Problem.of(500, "Internal error", "The request could not be completed; see the service log"));
    }

    /** The one mapping of services' refusals to HTTP. */
    private static Problem problemOf(DomainException refusal) {
        return switch (refusal.kind()) {
            case NOT_FOUND -> Problem.of(404, "Not found", refusal.getMessage());
            case CONFLICT -> Problem.of(409, "Conflict", refusal.getMessage());
        };
    }

    public static void respond(Context ctx, Problem problem) {
        ctx.status(problem.status()).json(problem.withInstance(ctx.path())).contentType(PROBLEM_JSON);
    }

    private static void ready(Context ctx, String serviceName, Readiness checks) {
        Map<String, String> results = checks.report();
        List<String> down = results.entrySet().stream().filter(e -> !e.getValue().equals("UP")).map(Map.Entry::getKey).toList();
        if (down.isEmpty()) {
            ctx.json(Map.of("status", "READY", "service", serviceName, "checks", results));
            return;
        }
        String detail = results.entrySet().stream().filter(e -> down.contains(e.getKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "));
        respond(ctx, new Problem("about:blank", "Not ready", 503, detail, null,
                down.stream().map(name -> new Problem.FieldError(name, results.get(name))).toList()));
    }

    /** SQLState class 22, data exception: numeric out of range, invalid byte sequence (NUL), string too long. */
    private static boolean isDataException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    static Problem unreadableBody(JsonProcessingException e) {
        String field = e instanceof MismatchedInputException mismatch ? fieldPath(mismatch) : "";
        String detail = e instanceof InvalidFormatException invalid
                ? "Value '" + invalid.getValue() + "' is not valid here"
                : e.getOriginalMessage();
        List<Problem.FieldError> errors = field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, detail));
        return new Problem("about:blank", "Invalid request", 400, "The body is not valid JSON for this request: " + detail, null, errors);
    }

    private static String fieldPath(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The title of a problem with {@code status}. */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Content too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            case 431 -> "Request header fields too large";
            default -> "HTTP " + status;
        };
    }
}

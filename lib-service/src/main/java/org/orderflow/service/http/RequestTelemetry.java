package org.orderflow.service.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.orderflow.messaging.LogIds;
import org.orderflow.service.observability.Observability;

/**
 * Each request's meter and span. The meter: {@code http.server.requests} by method, route template ({@code uri}),
 * status and outcome, a histogram of durations. The span: {@code <method> <route>}, a server span continuing the
 * request's W3C {@code traceparent} when it has one, current while the handler runs (what it publishes is in its
 * trace), its ids in the MDC and in the {@code traceresponse} header. /health, /ready and /metrics are measured but not
 * traced: probes and scrapes every few seconds would drown the traces that matter.
 */
final class RequestTelemetry {
    /** Set by {@link ApiRoutes} on a matched request: the route's template, a bounded set of values unlike the path. */
    static final String ROUTE = "orderflow.route";
    private static final String STARTED = "orderflow.started";
    private static final String SPAN = "orderflow.span";
    private static final String SCOPE = "orderflow.scope";
    private static final String LOG_IDS = "orderflow.log-ids";
    private static final Set<String> UNTRACED = Set.of("/health", "/ready", "/metrics");
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Context> HEADERS = (ctx, name) -> ctx == null ? null : ctx.header(name);

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> ROUTE_KEY = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final MeterRegistry registry;
    private final Tracer tracer;
    // Bounded: routes are templates and statuses a few; unmatched paths share one route name.
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    RequestTelemetry(Observability observability) {
        this.registry = observability.registry();
        this.tracer = observability.openTelemetry().getTracer("org.orderflow.service.http");
    }

    void before(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
        if (UNTRACED.contains(ctx.path())) {
            return;
        }
        Span span = tracer.spanBuilder(ctx.method().name()).setSpanKind(SpanKind.SERVER)
                .setParent(W3C.extract(io.opentelemetry.context.Context.root(), ctx, HEADERS))
                .startSpan();
        if (span.isRecording()) {
            span.setAttribute(METHOD, ctx.method().name());
            span.setAttribute(PATH, ctx.path());
        }
        ctx.attribute(SPAN, span);
        ctx.attribute(SCOPE, span.makeCurrent());
        ctx.attribute(LOG_IDS, LogIds.ofTrace(io.opentelemetry.context.Context.current()));
        // The W3C propagator writes the traceparent, as for every outgoing event; the response carries it under its
        // Level 2 name. Nothing is written for a span without ids.
        W3C.inject(io.opentelemetry.context.Context.current(), ctx, (response, name, value) -> {
            if (name.equals("traceparent")) {
                response.header(Observability.TRACE_RESPONSE, value);
            }
        });
    }

    void after(Context ctx) {
        Long started = ctx.attribute(STARTED);
        String route = ctx.attribute(ROUTE) != null ? ctx.attribute(ROUTE) : ctx.statusCode() == 404 ? "NOT_FOUND" : "UNMATCHED";
        int status = ctx.statusCode();
        if (started != null) {
            timers.computeIfAbsent(new TimerKey(ctx.method().name(), route, status), this::timer)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        Span span = ctx.attribute(SPAN);
        if (span != null) {
            if (span.isRecording()) {
                span.updateName(ctx.method().name() + " " + route);
                span.setAttribute(ROUTE_KEY, route);
                span.setAttribute(STATUS, status);
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            LogIds logIds = ctx.attribute(LOG_IDS);
            logIds.close();
            Scope scope = ctx.attribute(SCOPE);
            scope.close();
        }
    }

    /** The timers of the routes served so far: looked up once each instead of built on every request. */
    private Timer timer(TimerKey key) {
        return Timer.builder("http.server.requests").description("HTTP requests served, by route template and status")
                .tags("method", key.method(), "uri", key.route(), "status", Integer.toString(key.status()), "outcome", outcome(key.status()))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private record TimerKey(String method, String route, int status) {}

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            default -> "SERVER_ERROR";
        };
    }
}

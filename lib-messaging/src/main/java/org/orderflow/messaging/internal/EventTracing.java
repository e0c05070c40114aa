package org.orderflow.messaging.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;
import java.util.Optional;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.IncomingEvent;

/**
 * The runtime's spans, linked by the W3C {@code traceparent} of the event contract: {@code apply <type>} for each
 * event a consumer applies (a child of the event's {@code traceparent}), and {@code append <topic>} for each event
 * appended to the outbox (a child of what caused it: the apply span, or the caller's current span), whose context is
 * the {@code traceparent} stored with the row. The relay's {@code publish} span continues from there. Without an SDK
 * ({@link OpenTelemetry#noop()}) no span is recorded and the trace context is passed on unchanged.
 */
public final class EventTracing {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> TRACEPARENT = (traceparent, key) -> EventHeaders.TRACEPARENT.equals(key) ? traceparent : null;

    // Attributes are set only on a span that records: at 1,000 orders/s most spans are ids only (nothing exports).
    private static final Attributes APPLYING = Attributes.of(SYSTEM, "kafka", OPERATION, "process");
    private static final Attributes APPENDING = Attributes.of(SYSTEM, "kafka", OPERATION, "create");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("orderflow.order_id");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("orderflow.event_type");

    private final Tracer tracer;

    public EventTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("org.orderflow.messaging");
    }

    /** The trace context an event's producer sent; the root context without one. */
    static Context contextOf(IncomingEvent event) {
        return contextOf(event.traceparent());
    }

    /** The trace context of a stored W3C traceparent; the root context without one. */
    public static Context contextOf(Optional<String> traceparent) {
        return traceparent.map(header -> W3C.extract(Context.root(), header, TRACEPARENT)).orElse(Context.root());
    }

    /** The W3C traceparent of the span in {@code context}; empty when it has none. */
    static Optional<String> traceparent(Context context) {
        String[] traceparent = new String[1];
        W3C.inject(context, traceparent, (carrier, name, value) -> {
            if (EventHeaders.TRACEPARENT.equals(name)) {
                carrier[0] = value;
            }
        });
        return Optional.ofNullable(traceparent[0]);
    }

    /** Starts the span of applying {@code event} from {@code topic}; the caller ends it. */
    Span startApply(IncomingEvent event, String topic) {
        Span span = tracer.spanBuilder("apply " + event.type()).setParent(contextOf(event)).setSpanKind(SpanKind.CONSUMER).startSpan();
        if (span.isRecording()) {
            span.setAllAttributes(APPLYING);
            span.setAttribute(DESTINATION, topic);
            span.setAttribute(MESSAGE_ID, event.id());
            span.setAttribute(ORDER_ID, event.orderId());
        }
        return span;
    }

    /** Ends an apply span, marked failed when the handler threw. */
    static void end(Span span, Optional<Throwable> failure) {
        failure.ifPresent(error -> {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        });
        span.end();
    }

    /** The span of appending one event for {@code topic} in the trace of {@code parent}; its traceparent goes with the row. */
    private String append(String topic, String type, Context parent) {
        Span span = tracer.spanBuilder("append " + topic).setParent(parent).setSpanKind(SpanKind.PRODUCER).startSpan();
        if (span.isRecording()) {
            span.setAllAttributes(APPENDING);
            span.setAttribute(DESTINATION, topic);
            span.setAttribute(EVENT_TYPE, type);
        }
        try {
            return traceparent(parent.with(span)).orElse(null);
        } finally {
            span.end();
        }
    }

    /** Headers of an outgoing event in the trace of {@code parent}, or without a traceparent when there is no trace. */
    void putTraceparent(Map<String, String> headers, String topic, String type, Context parent) {
        String traceparent = append(topic, type, parent);
        if (traceparent != null) {
            headers.put(EventHeaders.TRACEPARENT, traceparent);
        }
    }
}

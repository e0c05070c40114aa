package org.orderflow.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Ids in the logging MDC, so that a log line joins up with its order, event and trace ({@code LOG_FORMAT=json} writes
 * them under {@code mdc}): put for a piece of work, taken out when it is closed, and what was there before (a
 * request's own ids) put back. {@code try (LogIds ids = LogIds.of(event, trace)) { ... }}.
 */
public final class LogIds implements AutoCloseable {
    public static final String ORDER_ID = "order_id";
    public static final String EVENT_ID = "event_id";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private final Map<String, String> before = new HashMap<>();

    private LogIds() {
    }

    /** An event's order id and event id, and the ids of the span in {@code trace} (its apply span). */
    public static LogIds of(IncomingEvent event, Context trace) {
        return ofTrace(trace).put(ORDER_ID, event.orderId()).put(EVENT_ID, event.id());
    }

    /** The ids of the span in {@code trace}: work done for a request other than the one of this thread. */
    public static LogIds ofTrace(Context trace) {
        LogIds ids = new LogIds();
        SpanContext span = Span.fromContext(trace).getSpanContext();
        return span.isValid() ? ids.put(TRACE_ID, span.getTraceId()).put(SPAN_ID, span.getSpanId()) : ids;
    }

    private LogIds put(String key, String value) {
        before.putIfAbsent(key, MDC.get(key));
        MDC.put(key, value);
        return this;
    }

    /** Puts back what the MDC held before. */
    @Override
    public void close() {
        before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}

package org.orderflow.messaging;

/**
 * The MDC keys the runtime and the services put on every log line of an event's application or a request's work, so
 * that a line joins up with the order, the event and the trace ({@code LOG_FORMAT=json} writes them under {@code mdc}).
 */
public final class LogKeys {
    public static final String ORDER_ID = "order_id";
    public static final String EVENT_ID = "event_id";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private LogKeys() {
    }
}

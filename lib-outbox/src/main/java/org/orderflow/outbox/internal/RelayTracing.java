package org.orderflow.outbox.internal;

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
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The relay's span for each row it publishes: {@code publish <topic>}, a child of the W3C {@code traceparent} stored
 * with the row (the span of the transaction that appended it), from the send until Kafka's acknowledgement. The
 * record carries this span's own {@code traceparent}, so that its consumers continue the trace across the outbox. A
 * row without a {@code traceparent} is sent as it is, without a span.
 */
final class RelayTracing {
    static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<Map<String, String>> HEADERS = (headers, name) -> headers == null ? null : headers.get(name);

    // Attributes are set only on a span that records: when nothing exports, a span is only its ids.
    private static final Attributes SENDING = Attributes.of(AttributeKey.stringKey("messaging.system"), "kafka",
            AttributeKey.stringKey("messaging.operation.type"), "send");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<Long> ROW_ID = AttributeKey.longKey("orderflow.outbox.row_id");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    RelayTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("org.orderflow.outbox");
        // The event contract's header is W3C's, whatever propagators the service configured for other uses.
        this.propagator = W3CTraceContextPropagator.getInstance();
    }

    /** The row's record, with the publish span started and its traceparent in the headers; the span is invalid without one. */
    Span start(PendingRow row, ProducerRecord<String, byte[]> record) {
        if (!row.headers().containsKey(TRACEPARENT)) {
            return Span.getInvalid();
        }
        Context parent = propagator.extract(Context.root(), row.headers(), HEADERS);
        Span span = tracer.spanBuilder("publish " + row.topic()).setParent(parent).setSpanKind(SpanKind.PRODUCER).startSpan();
        if (span.isRecording()) {
            span.setAllAttributes(SENDING);
            span.setAttribute(DESTINATION, row.topic());
            span.setAttribute(ROW_ID, row.id());
        }
        record.headers().remove(TRACEPARENT);
        propagator.inject(parent.with(span), record, (carrier, name, value) ->
                carrier.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return span;
    }

    /** Ends the span with what Kafka answered. */
    static void end(Span span, RecordMetadata metadata, Exception error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        } else if (metadata != null && span.isRecording()) {
            span.setAttribute(PARTITION, Integer.toString(metadata.partition()));
            span.setAttribute(OFFSET, metadata.offset());
        }
        span.end();
    }
}

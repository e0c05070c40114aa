package org.orderflow.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.internal.CloudEventPublisher;
import org.orderflow.messaging.internal.EventTracing;
import org.orderflow.outbox.Outbox;

/**
 * Publishes events through the outbox, in the caller's transaction: each gets a new {@code ce_id}, the service as
 * {@code ce_source}, the time, and a {@code traceparent}: the context of an {@code append <topic>} span, a child of
 * the current span (an HTTP request's), of the event that caused it, or of the trace given. Thread-safe.
 */
public interface EventPublisher {

    /** A publisher appending to {@code outbox} as {@code source} (the service's name), stamping times from {@code clock}; no spans. */
    static EventPublisher create(String source, Outbox outbox, Clock clock) {
        return create(source, outbox, clock, OpenTelemetry.noop());
    }

    /** As {@link #create(String, Outbox, Clock)}, recording an append span per event with {@code openTelemetry}. */
    static EventPublisher create(String source, Outbox outbox, Clock clock, OpenTelemetry openTelemetry) {
        return new CloudEventPublisher(source, outbox, clock, openTelemetry);
    }

    /** The {@code ce_source} of what this publisher publishes: the service's name. */
    String source();

    /** The outbox the events are appended to; it creates their relay ({@link Outbox#relay}). */
    Outbox outbox();

    /** Publishes events in the current trace ({@link Context#current()}): an HTTP request's, or a new one. */
    void publish(Handle handle, List<OutgoingEvent> events);

    /** Publishes events caused by {@code cause}, in its trace. */
    void publish(Handle handle, List<OutgoingEvent> events, IncomingEvent cause);

    /**
     * Publishes the events of many traces in one append: for a transaction that writes what many requests asked for
     * (a group commit), each request's events in its request's trace.
     */
    void publishTraced(Handle handle, List<Traced> groups);

    /** Events and the trace they belong to (the context of the request that caused them). */
    record Traced(Context trace, List<OutgoingEvent> events) {
        public Traced {
            events = List.copyOf(events);
        }

        /**
         * Events in the trace of a stored W3C {@code traceparent} ({@link org.orderflow.messaging.consumer.EventContext#traceparentOf}):
         * work a timer does later for an event, in that event's trace; a new trace when empty.
         */
        public static Traced continuing(Optional<String> traceparent, List<OutgoingEvent> events) {
            return new Traced(EventTracing.contextOf(traceparent), events);
        }
    }
}

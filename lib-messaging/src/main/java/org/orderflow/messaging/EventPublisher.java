package org.orderflow.messaging;

import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.internal.CloudEventPublisher;
import org.orderflow.outbox.Outbox;

/**
 * Publishes events through the outbox, in the caller's transaction: each gets a new {@code ce_id}, the service as
 * {@code ce_source}, the time, and a {@code traceparent} continuing the trace of the event that caused it, or starting
 * one. Thread-safe.
 */
public interface EventPublisher {

    /** A publisher appending to {@code outbox} as {@code source} (the service's name), stamping times from {@code clock}. */
    static EventPublisher create(String source, Outbox outbox, Clock clock) {
        return new CloudEventPublisher(source, outbox, clock);
    }

    /** The {@code ce_source} of what this publisher publishes: the service's name. */
    String source();

    /** The outbox the events are appended to; it creates their relay ({@link Outbox#relay}). */
    Outbox outbox();

    /** Publishes events that start a new trace (an HTTP request, a timer). */
    void publish(Handle handle, List<OutgoingEvent> events);

    /** Publishes events caused by {@code cause}, in its trace. */
    void publish(Handle handle, List<OutgoingEvent> events, IncomingEvent cause);
}

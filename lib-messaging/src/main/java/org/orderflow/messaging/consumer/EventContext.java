package org.orderflow.messaging.consumer;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.LogIds;
import org.orderflow.messaging.OutgoingEvent;

/** What a handler works with: the transaction it runs in, and the events it publishes from it. */
public interface EventContext {

    /** The open transaction; do not commit or roll it back. */
    Handle handle();

    /** Publishes through the outbox when the transaction commits, in the trace of the event being handled. */
    void publish(OutgoingEvent event);

    /** Publishes in the trace of {@code cause}: for a handler of many events at once ({@link EventRouter.Handling#IN_BATCHES}). */
    void publish(OutgoingEvent event, IncomingEvent cause);

    /**
     * The W3C traceparent of {@code cause}'s apply span, for a handler that stores it to publish later, from a timer,
     * in the same trace ({@code EventPublisher.Traced.continuing}); empty when there is no trace.
     */
    Optional<String> traceparentOf(IncomingEvent cause);

    /**
     * Puts {@code event}'s ids in the logging MDC until closed: its order id, event id, and its apply span's trace and
     * span ids ({@link LogIds}). The runtime does it around a handler of one event; a handler of many events at once
     * ({@link EventRouter.Handling#IN_BATCHES}) does it around each event's work, so that every log line names the order
     * and the trace it belongs to: {@code try (var ids = context.logIds(order.event())) { ... }}.
     */
    LogIds logIds(IncomingEvent event);
}

package org.orderflow.messaging.consumer;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
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
}

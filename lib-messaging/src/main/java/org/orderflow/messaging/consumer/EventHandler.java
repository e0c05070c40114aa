package org.orderflow.messaging.consumer;

import org.orderflow.messaging.IncomingEvent;

/**
 * Applies one event to the service's database. It runs inside the transaction that also records the event in the
 * inbox and appends whatever it publishes to the outbox: all of it commits, or none of it. A service declares its
 * handlers, one per event type, in an {@link EventRouter}.
 *
 * <p>Throw to refuse: a {@link PoisonEventException} for an event that can never be applied (dead-lettered at
 * once); any exception classified transient (database unavailable, serialization failure, deadlock, timeout) is
 * retried without limit, with backoff; anything else is retried up to the configured attempts, then
 * dead-lettered.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(IncomingEvent event, EventContext context) throws Exception;
}

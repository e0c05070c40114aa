package org.orderflow.messaging.consumer;

import java.util.List;
import org.orderflow.messaging.IncomingEvent;

/**
 * Applies one event to the service's database. It runs inside the transaction that also records the event in the
 * inbox and appends whatever it publishes to the outbox: all of it commits, or none of it.
 *
 * <p>Throw to refuse: a {@link PoisonEventException} for an event that can never be applied (dead-lettered at
 * once); any exception classified transient (database unavailable, serialization failure, deadlock, timeout) is
 * retried without limit, with backoff; anything else is retried up to the configured attempts, then
 * dead-lettered.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(IncomingEvent event, EventContext context) throws Exception;

    /**
     * True for an event this handler would do nothing with (the service's own event coming back, a type it only
     * passes over). Such an event is consumed without a transaction and without an inbox row: a poll of nothing else
     * costs the database nothing.
     */
    default boolean ignores(IncomingEvent event) {
        return false;
    }

    /**
     * True when applying an event of {@code type} a second time already does nothing, because the handler keys what
     * it stores by an id of the event, its own or its order's, and does nothing more for an id it has (a row keyed
     * by the id, inserted {@code ON CONFLICT DO NOTHING}, decides everything else). Such events get no inbox row:
     * the handler's table is their inbox, and each costs a row and, in a transaction of nothing else, a statement
     * less. A redelivered one reaches the handler again (it is not counted as a duplicate), and so does one
     * dead-lettered before.
     */
    default boolean deduplicatesById(String type) {
        return false;
    }

    /**
     * True when events of {@code type} are applied many at once, by {@link #handleAll}: one statement for a whole
     * poll's events instead of one per event, which is where the database's time goes under load.
     */
    default boolean handlesInBatches(String type) {
        return false;
    }

    /**
     * Applies events of one type for which {@link #handlesInBatches} holds, from one or several partitions, each
     * partition's in its order, none of them seen before. What it publishes names its cause ({@link EventContext#publish(
     * org.orderflow.messaging.OutgoingEvent, IncomingEvent)}). If it throws, the poll is applied again one event at a
     * time, each through this method with a list of one, so a bad event fails alone.
     */
    default void handleAll(List<IncomingEvent> events, EventContext context) throws Exception {
        throw new UnsupportedOperationException("This handler applies events one at a time");
    }
}

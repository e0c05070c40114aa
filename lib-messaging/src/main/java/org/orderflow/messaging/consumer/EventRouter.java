package org.orderflow.messaging.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.orderflow.messaging.IncomingEvent;

/**
 * A service's routing table, declared once and read by the {@link EventConsumer} when it starts: for each event type,
 * the handler, whether its events are applied one at a time or many at once, which of them are passed over, and
 * whether the handler de-duplicates them itself. An event of a type with no route can never be applied: it is poison.
 */
public final class EventRouter {
    private final Map<String, Route> routes;

    private EventRouter(Map<String, Route> routes) {
        this.routes = Map.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The route of {@code type}; empty for a type nobody declared. */
    public Optional<Route> route(String type) {
        return Optional.ofNullable(routes.get(type));
    }

    /** Handles one payload type. */
    @FunctionalInterface
    public interface PayloadHandler<T> {
        void handle(T payload, IncomingEvent event, EventContext context) throws Exception;
    }

    /** Handles a run of events of one payload type at once (set-based: one statement for all of them). */
    @FunctionalInterface
    public interface PayloadsHandler<T> {
        void handle(List<Payload<T>> payloads, EventContext context) throws Exception;
    }

    /**
     * Applies events of one type: those of one poll together for {@link Handling#IN_BATCHES}, from one or several
     * partitions, each partition's in its order; one at a time (a list of one) otherwise.
     */
    @FunctionalInterface
    public interface RunHandler {
        void handle(List<IncomingEvent> events, EventContext context) throws Exception;
    }

    /** An event's payload as its record, with the event (its id, time, and the cause of what is published). */
    public record Payload<T>(T value, IncomingEvent event) {
    }

    /** How a type's events reach its handler. */
    public enum Handling {
        /** One call per event; what it publishes is caused by that event. */
        ONE_AT_A_TIME,
        /**
         * Every run of the type's events in a poll in one call: one statement for a whole poll's events instead of
         * one per event, which is where the database's time goes under load. If the call throws, the poll is applied
         * again one event at a time, each in a call with a list of one, so a bad event fails alone. What it publishes
         * names its cause ({@link EventContext#publish(org.orderflow.messaging.OutgoingEvent, IncomingEvent)}).
         */
        IN_BATCHES,
        /** Every event of the type is passed over: consumed without a transaction and without an inbox row. */
        PASSED_OVER
    }

    /** How a redelivered event of a type is recognised. */
    public enum Deduplication {
        /** By the inbox: the runtime stores the event's id in the same transaction and skips an id it has. */
        INBOX,
        /**
         * By the handler itself: it keys what it stores by an id of the event, its own or its order's, and does
         * nothing more for an id it has (a row keyed by the id, inserted {@code ON CONFLICT DO NOTHING}, decides
         * everything else). Such events get no inbox row, which saves a row and a statement each. A redelivered one
         * reaches the handler again (it is not counted as a duplicate), and so does one dead-lettered before.
         */
        BY_ID
    }

    /**
     * One type's route.
     *
     * @param handling      how the events reach {@code handler}
     * @param passedOver    events of the type the service does nothing with (its own coming back, say): consumed
     *                      without a transaction and without an inbox row, so a poll of nothing else costs nothing
     * @param deduplication how a redelivery is recognised
     * @param handler       applies the events; never called for those passed over
     */
    public record Route(Handling handling, Predicate<IncomingEvent> passedOver, Deduplication deduplication, RunHandler handler) {
        static Route passingOverAll() {
            return new Route(Handling.PASSED_OVER, event -> true, Deduplication.INBOX, (events, context) -> {
                throw new IllegalStateException("events passed over are never handled");
            });
        }
    }

    /** Collects one route per event type. */
    public static final class Builder {
        private final Map<String, Route> routes = new HashMap<>();

        private Builder() {
        }

        public <T> Builder on(String type, Class<T> payloadType, PayloadHandler<T> handler) {
            return on(type, (event, context) -> handler.handle(event.payloadAs(payloadType), event, context));
        }

        /** Events of {@code type} go to {@code handler} as they are (their JSON payload unmapped). */
        public Builder on(String type, EventHandler handler) {
            return add(type, new Route(Handling.ONE_AT_A_TIME, event -> false, Deduplication.INBOX,
                    (events, context) -> handler.handle(events.get(0), context)));
        }

        /** Events of {@code type} are applied many at once: every run of them in a poll in one call. */
        public <T> Builder onAll(String type, Class<T> payloadType, PayloadsHandler<T> handler) {
            return add(type, new Route(Handling.IN_BATCHES, event -> false, Deduplication.INBOX, (events, context) -> handler.handle(
                    events.stream().map(event -> new Payload<>(event.payloadAs(payloadType), event)).toList(), context)));
        }

        /** The handler of {@code type}, declared before, de-duplicates by id ({@link Deduplication#BY_ID}). */
        public Builder deduplicatedById(String type) {
            Route route = declared(type);
            routes.put(type, new Route(route.handling(), route.passedOver(), Deduplication.BY_ID, route.handler()));
            return this;
        }

        /** Events of {@code type} are consumed and passed over (no transaction, no inbox row). */
        public Builder ignore(String type) {
            return add(type, Route.passingOverAll());
        }

        /** Events of {@code type}, declared before, for which {@code when} holds are passed over; the others are handled. */
        public Builder ignoreWhen(String type, Predicate<IncomingEvent> when) {
            Route route = declared(type);
            routes.put(type, new Route(route.handling(), when, route.deduplication(), route.handler()));
            return this;
        }

        public EventRouter build() {
            return new EventRouter(routes);
        }

        private Builder add(String type, Route route) {
            if (routes.putIfAbsent(type, route) != null) {
                throw new IllegalArgumentException("Event type " + type + " has a route already");
            }
            return this;
        }

        private Route declared(String type) {
            Route route = routes.get(type);
            if (route == null || route.handling() == Handling.PASSED_OVER) {
                throw new IllegalArgumentException("Declare the handler of " + type + " first (on or onAll)");
            }
            return route;
        }
    }
}

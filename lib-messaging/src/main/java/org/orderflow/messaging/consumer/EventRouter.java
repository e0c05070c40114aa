package org.orderflow.messaging.consumer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.orderflow.messaging.IncomingEvent;

/**
 * An {@link EventHandler} that dispatches by event type to a handler of that type's payload record. An event of a
 * type nobody handles or ignores can never be applied: it is poison.
 */
public final class EventRouter implements EventHandler {
    private final Map<String, EventHandler> byType;
    private final Map<String, RunHandler> runsByType;
    private final Map<String, Predicate<IncomingEvent>> ignoredWhen;
    private final Set<String> deduplicatedById;

    private EventRouter(Builder builder) {
        this.byType = Map.copyOf(builder.byType);
        this.runsByType = Map.copyOf(builder.runsByType);
        this.ignoredWhen = Map.copyOf(builder.ignoredWhen);
        this.deduplicatedById = Set.copyOf(builder.deduplicatedById);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(IncomingEvent event, EventContext context) throws Exception {
        if (ignores(event)) {
            return;
        }
        if (handlesInBatches(event.type())) {
            handleAll(List.of(event), context);
            return;
        }
        EventHandler handler = byType.get(event.type());
        if (handler == null) {
            throw new PoisonEventException("No handler for event type " + event.type() + " (handled: " + byType.keySet() + ")");
        }
        handler.handle(event, context);
    }

    @Override
    public boolean handlesInBatches(String type) {
        return runsByType.containsKey(type);
    }

    @Override
    public void handleAll(List<IncomingEvent> events, EventContext context) throws Exception {
        runsByType.get(events.get(0).type()).handle(events, context);
    }

    @Override
    public boolean deduplicatesById(String type) {
        return deduplicatedById.contains(type);
    }

    @Override
    public boolean ignores(IncomingEvent event) {
        Predicate<IncomingEvent> ignored = ignoredWhen.get(event.type());
        return ignored != null && ignored.test(event);
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

    /** An event's payload as its record, with the event (its id, time, and the cause of what is published). */
    public record Payload<T>(T value, IncomingEvent event) {
    }

    @FunctionalInterface
    private interface RunHandler {
        void handle(List<IncomingEvent> events, EventContext context) throws Exception;
    }

    /** Collects one handler per event type, and what is passed over. */
    public static final class Builder {
        private final Map<String, EventHandler> byType = new HashMap<>();
        private final Map<String, RunHandler> runsByType = new HashMap<>();
        private final Map<String, Predicate<IncomingEvent>> ignoredWhen = new HashMap<>();
        private final Set<String> deduplicatedById = new HashSet<>();

        public <T> Builder on(String type, Class<T> payloadType, PayloadHandler<T> handler) {
            byType.put(type, (event, context) -> handler.handle(event.payloadAs(payloadType), event, context));
            return this;
        }

        /** Events of {@code type} are applied many at once: every run of them in a poll in one call. */
        public <T> Builder onAll(String type, Class<T> payloadType, PayloadsHandler<T> handler) {
            runsByType.put(type, (events, context) -> handler.handle(
                    events.stream().map(event -> new Payload<>(event.payloadAs(payloadType), event)).toList(), context));
            return this;
        }

        /**
         * The handler of {@code type} keys what it stores by the event's id or its order's and does nothing for an id
         * it has, so the runtime writes no inbox row for it ({@link EventHandler#deduplicatesById}).
         */
        public Builder deduplicatedById(String type) {
            deduplicatedById.add(type);
            return this;
        }

        /** Events of {@code type} are consumed and passed over (no transaction, no inbox row). */
        public Builder ignore(String type) {
            return ignoreWhen(type, event -> true);
        }

        /** Events of {@code type} for which {@code when} holds are passed over; the others go to the type's handler. */
        public Builder ignoreWhen(String type, Predicate<IncomingEvent> when) {
            ignoredWhen.put(type, when);
            return this;
        }

        public EventRouter build() {
            return new EventRouter(this);
        }
    }
}

package org.orderflow.messaging.consumer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.orderflow.messaging.IncomingEvent;

/**
 * An {@link EventHandler} that dispatches by event type to a handler of that type's payload record. An event of a
 * type nobody handles or ignores can never be applied: it is poison.
 */
public final class EventRouter implements EventHandler {
    private final Map<String, EventHandler> byType;
    private final Map<String, Predicate<IncomingEvent>> ignoredWhen;

    private EventRouter(Map<String, EventHandler> byType, Map<String, Predicate<IncomingEvent>> ignoredWhen) {
        this.byType = Map.copyOf(byType);
        this.ignoredWhen = Map.copyOf(ignoredWhen);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(IncomingEvent event, EventContext context) throws Exception {
        if (ignores(event)) {
            return;
        }
        EventHandler handler = byType.get(event.type());
        if (handler == null) {
            throw new PoisonEventException("No handler for event type " + event.type() + " (handled: " + byType.keySet() + ")");
        }
        handler.handle(event, context);
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

    /** Collects one handler per event type, and what is passed over. */
    public static final class Builder {
        private final Map<String, EventHandler> byType = new HashMap<>();
        private final Map<String, Predicate<IncomingEvent>> ignoredWhen = new HashMap<>();

        public <T> Builder on(String type, Class<T> payloadType, PayloadHandler<T> handler) {
            byType.put(type, (event, context) -> handler.handle(event.payloadAs(payloadType), event, context));
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
            return new EventRouter(byType, ignoredWhen);
        }
    }
}

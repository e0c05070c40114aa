package org.orderflow.messaging.consumer;

import java.util.HashMap;
import java.util.Map;
import org.orderflow.messaging.IncomingEvent;

/**
 * An {@link EventHandler} that dispatches by event type to a handler of that type's payload record. An event of a
 * type nobody handles can never be applied: it is poison.
 */
public final class EventRouter implements EventHandler {
    private final Map<String, EventHandler> byType;

    private EventRouter(Map<String, EventHandler> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(IncomingEvent event, EventContext context) throws Exception {
        EventHandler handler = byType.get(event.type());
        if (handler == null) {
            throw new PoisonEventException("No handler for event type " + event.type() + " (handled: " + byType.keySet() + ")");
        }
        handler.handle(event, context);
    }

    /** Handles one payload type. */
    @FunctionalInterface
    public interface PayloadHandler<T> {
        void handle(T payload, IncomingEvent event, EventContext context) throws Exception;
    }

    /** Collects one handler per event type. */
    public static final class Builder {
        private final Map<String, EventHandler> byType = new HashMap<>();

        public <T> Builder on(String type, Class<T> payloadType, PayloadHandler<T> handler) {
            byType.put(type, (event, context) -> handler.handle(event.payloadAs(payloadType), event, context));
            return this;
        }

        public EventRouter build() {
            return new EventRouter(byType);
        }
    }
}

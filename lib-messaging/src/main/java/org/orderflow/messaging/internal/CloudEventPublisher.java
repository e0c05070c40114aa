package org.orderflow.messaging.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;
import org.orderflow.messaging.MessagingException;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.TimeOrderedUuid;
import org.orderflow.messaging.Traceparent;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxMessage;

/**
 * The {@link EventPublisher}: events as CloudEvents in Kafka's binary content mode (attributes in {@code ce_*}
 * headers, the payload as snake_case JSON). The consumer runtime appends through it too: what handlers publish and
 * dead letters, as ready-made outbox rows.
 */
public final class CloudEventPublisher implements EventPublisher {
    private final String source;
    private final Outbox outbox;
    private final Clock clock;

    public CloudEventPublisher(String source, Outbox outbox, Clock clock) {
        this.source = source;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void publish(Handle handle, List<OutgoingEvent> events) {
        outbox.appendAll(handle, events.stream().map(event -> toMessage(event, Optional.empty())).toList());
    }

    @Override
    public void publish(Handle handle, List<OutgoingEvent> events, IncomingEvent cause) {
        outbox.appendAll(handle, events.stream().map(event -> toMessage(event, Optional.of(cause))).toList());
    }

    /** Appends records exactly as given (dead letters keep the original bytes and headers). */
    void appendVerbatim(Handle handle, List<OutboxMessage> messages) {
        outbox.appendAll(handle, messages);
    }

    /** The outbox row of {@code event}, in the trace of {@code cause} (empty: a new trace). */
    OutboxMessage toMessage(OutgoingEvent event, Optional<IncomingEvent> cause) {
        Map<String, String> headers = new HashMap<>();
        headers.put(EventHeaders.SPEC_VERSION, EventHeaders.CLOUDEVENTS_VERSION);
        headers.put(EventHeaders.ID, TimeOrderedUuid.next().toString()); // the inboxes' key: see TimeOrderedUuid
        headers.put(EventHeaders.TYPE, event.type());
        headers.put(EventHeaders.SOURCE, source);
        headers.put(EventHeaders.TIME, clock.instant().toString());
        headers.put(EventHeaders.CONTENT_TYPE, EventHeaders.JSON);
        headers.put(EventHeaders.TRACEPARENT, Traceparent.childOf(cause.flatMap(IncomingEvent::traceparent).orElse(null)));
        try {
            return OutboxMessage.json(event.topic(), event.key(), headers, Json.mapper().writeValueAsString(event.payload()));
        } catch (JsonProcessingException e) {
            throw new MessagingException("Cannot serialise " + event.type() + " for " + event.key(), e);
        }
    }
}

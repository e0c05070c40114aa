package org.orderflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxMessage;

/**
 * Publishes events through the outbox, in the caller's transaction: each gets a new {@code ce_id}, the service as
 * {@code ce_source}, the time, and a {@code traceparent} continuing the trace of the event that caused it.
 * Thread-safe.
 */
public final class EventPublisher {
    private final String source;
    private final Outbox outbox;
    private final Clock clock;

    public EventPublisher(String source, Outbox outbox, Clock clock) {
        this.source = source;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The {@code ce_source} of what this publisher publishes: the service's name. */
    public String source() {
        return source;
    }

    /** The outbox the events are appended to: its relay is created by it ({@code Outbox.relay}). */
    public Outbox outbox() {
        return outbox;
    }

    /** Publishes events that start a new trace (an HTTP request, a timer). */
    public void publish(Handle handle, List<OutgoingEvent> events) {
        publish(handle, events, null);
    }

    /** Publishes events caused by {@code cause}, in its trace; {@code cause} may be null. */
    public void publish(Handle handle, List<OutgoingEvent> events, IncomingEvent cause) {
        outbox.appendAll(handle, events.stream().map(event -> toMessage(event, cause)).toList());
    }

    /** Appends records exactly as given (dead letters keep the original bytes and headers). */
    public void appendVerbatim(Handle handle, List<OutboxMessage> messages) {
        outbox.appendAll(handle, messages);
    }

    /** The outbox row of {@code event}, in the trace of {@code cause} (null: a new trace). */
    public OutboxMessage toMessage(OutgoingEvent event, IncomingEvent cause) {
        String parentTrace = cause == null ? null : cause.traceparent();
        Map<String, String> headers = new HashMap<>();
        headers.put(EventHeaders.SPEC_VERSION, EventHeaders.CLOUDEVENTS_VERSION);
        headers.put(EventHeaders.ID, TimeOrderedUuid.next().toString()); // the inboxes' key: see TimeOrderedUuid
        headers.put(EventHeaders.TYPE, event.type());
        headers.put(EventHeaders.SOURCE, source);
        headers.put(EventHeaders.TIME, clock.instant().toString());
        headers.put(EventHeaders.CONTENT_TYPE, EventHeaders.JSON);
        headers.put(EventHeaders.TRACEPARENT, Traceparent.childOf(parentTrace));
        try {
            return OutboxMessage.json(event.topic(), event.key(), headers, Json.mapper().writeValueAsString(event.payload()));
        } catch (JsonProcessingException e) {
            throw new MessagingException("Cannot serialise " + event.type() + " for " + event.key(), e);
        }
    }
}

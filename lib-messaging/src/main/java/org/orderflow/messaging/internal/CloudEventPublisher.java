package org.orderflow.messaging.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;
import org.orderflow.messaging.MessagingException;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.TimeOrderedUuid;
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
    private final EventTracing tracing;

    public CloudEventPublisher(String source, Outbox outbox, Clock clock, OpenTelemetry openTelemetry) {
        this.source = source;
        this.outbox = outbox;
        this.clock = clock;
        this.tracing = new EventTracing(openTelemetry);
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
        Context trace = Context.current();
        outbox.appendAll(handle, events.stream().map(event -> toMessage(event, trace)).toList());
    }

    @Override
    public void publish(Handle handle, List<OutgoingEvent> events, IncomingEvent cause) {
        Context trace = EventTracing.contextOf(cause);
        outbox.appendAll(handle, events.stream().map(event -> toMessage(event, trace)).toList());
    }

    @Override
    public void publishTraced(Handle handle, List<Traced> groups) {
        outbox.appendAll(handle, groups.stream()
                .flatMap(group -> group.events().stream().map(event -> toMessage(event, group.trace()))).toList());
    }

    /** Appends records exactly as given (dead letters keep the original bytes and headers). */
    void appendVerbatim(Handle handle, List<OutboxMessage> messages) {
        outbox.appendAll(handle, messages);
    }

    /** The outbox row of {@code event}, in {@code trace} (the root context: a new trace). */
    OutboxMessage toMessage(OutgoingEvent event, Context trace) {
        Map<String, String> headers = new HashMap<>();
        headers.put(EventHeaders.SPEC_VERSION, EventHeaders.CLOUDEVENTS_VERSION);
        headers.put(EventHeaders.ID, TimeOrderedUuid.next().toString()); // the inboxes' key: see TimeOrderedUuid
        headers.put(EventHeaders.TYPE, event.type());
        headers.put(EventHeaders.SOURCE, source);
        headers.put(EventHeaders.TIME, clock.instant().toString());
        headers.put(EventHeaders.CONTENT_TYPE, EventHeaders.JSON);
        tracing.putTraceparent(headers, event.topic(), event.type(), trace);
        try {
            return OutboxMessage.json(event.topic(), event.key(), headers, Json.mapper().writeValueAsString(event.payload()));
        } catch (JsonProcessingException e) {
            throw new MessagingException("Cannot serialise " + event.type() + " for " + event.key(), e);
        }
    }
}

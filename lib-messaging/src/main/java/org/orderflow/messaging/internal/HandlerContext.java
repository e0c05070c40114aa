package org.orderflow.messaging.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.outbox.OutboxMessage;

/**
 * A handler's view of the applying transaction. What handlers publish is collected and appended to the outbox in one
 * batch at the end of the transaction, in the trace of the event being handled ({@link #cause}).
 */
final class HandlerContext implements EventContext {
    private final Handle handle;
    private final CloudEventPublisher publisher;
    private final List<OutboxMessage> outgoing = new ArrayList<>();
    private Optional<IncomingEvent> cause = Optional.empty();

    HandlerContext(Handle handle, CloudEventPublisher publisher) {
        this.handle = handle;
        this.publisher = publisher;
    }

    @Override
    public Handle handle() {
        return handle;
    }

    @Override
    public void publish(OutgoingEvent event) {
        outgoing.add(publisher.toMessage(event, cause));
    }

    @Override
    public void publish(OutgoingEvent event, IncomingEvent causedBy) {
        outgoing.add(publisher.toMessage(event, Optional.of(causedBy)));
    }

    /** The event whose trace what is published next continues. */
    void causedBy(IncomingEvent event) {
        this.cause = Optional.of(event);
    }

    /** A run of many events: what is published names its cause, or starts a trace. */
    void causedByNone() {
        this.cause = Optional.empty();
    }

    /** Adds a record to what is appended, exactly as given (a dead letter). */
    void appendVerbatim(OutboxMessage message) {
        outgoing.add(message);
    }

    /** Appends what was published, in one batch. */
    void flush() {
        if (!outgoing.isEmpty()) {
            publisher.appendVerbatim(handle, outgoing);
            outgoing.clear();
        }
    }
}

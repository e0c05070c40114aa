package org.orderflow.messaging.consumer;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.LogIds;
import org.orderflow.messaging.OutgoingEvent;

/**
 * For the tests of a service's handlers: the transaction a handler runs in, as the consumer gives it, and what the
 * handler publishes kept in a list to look at instead of appended to the outbox. Shipped in lib-messaging's test jar.
 */
public final class RecordingContext implements EventContext {
    private final Handle handle;
    private final List<OutgoingEvent> published = new ArrayList<>();

    public RecordingContext(Handle handle) {
        this.handle = handle;
    }

    /** What the handler published so far, in order. */
    public List<OutgoingEvent> published() {
        return published;
    }

    @Override
    public Handle handle() {
        return handle;
    }

    @Override
    public void publish(OutgoingEvent event) {
        published.add(event);
    }

    @Override
    public void publish(OutgoingEvent event, IncomingEvent cause) {
        published.add(event);
    }

    /** Nothing goes in the MDC here: there is no span. */
    @Override
    public LogIds logIds(IncomingEvent event) {
        return LogIds.ofTrace(Context.root());
    }

    /** The cause's own traceparent: no span is recorded here. */
    @Override
    public Optional<String> traceparentOf(IncomingEvent cause) {
        return cause.traceparent();
    }
}

package org.orderflow.messaging.internal;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.LogIds;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.outbox.OutboxMessage;

/**
 * A handler's view of the applying transaction. What handlers publish is collected and appended to the outbox in one
 * batch at the end of the transaction, in the trace of the event being handled: the context of its apply span.
 */
final class HandlerContext implements EventContext {
    private final Handle handle;
    private final CloudEventPublisher publisher;
    private final List<OutboxMessage> outgoing = new ArrayList<>();
    private final Map<IncomingEvent, Context> traces = new IdentityHashMap<>();
    private Context cause = Context.root();

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
        outgoing.add(publisher.toMessage(event, traceOf(causedBy)));
    }

    @Override
    public Optional<String> traceparentOf(IncomingEvent cause) {
        return EventTracing.traceparent(traceOf(cause));
    }

    @Override
    public LogIds logIds(IncomingEvent event) {
        return LogIds.of(event, traceOf(event));
    }

    private Context traceOf(IncomingEvent event) {
        Context trace = traces.get(event);
        return trace != null ? trace : EventTracing.contextOf(event);
    }

    /** The one event being handled, in the trace of its apply span: what is published next continues it. */
    void causedBy(IncomingEvent event, Context applying) {
        this.cause = applying;
        traces.clear();
        traces.put(event, applying);
    }

    /**
     * A run of many events, each in the trace of its own apply span: what is published names its cause, or, naming
     * none, starts a trace.
     */
    void causedByEach(Map<IncomingEvent, Context> applying) {
        this.cause = Context.root();
        traces.clear();
        traces.putAll(applying);
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

package org.orderflow.messaging;

/**
 * Header names of the event contract: the CloudEvents 1.0 Kafka protocol binding in binary content mode (the value
 * is the event's JSON, the attributes are {@code ce_} headers) plus the W3C trace context.
 */
public final class EventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TRACEPARENT = "traceparent";
    /**
     * Set by {@code orderflow dlq replay} on a dead letter sent back to its topic: the dead letter's position. The
     * inbox lets an event it dead-lettered through once more when it carries this header, and once only.
     */
    public static final String REPLAY_OF = "orderflow_replay_of";

    public static final String CLOUDEVENTS_VERSION = "1.0";
    public static final String JSON = "application/json";

    private EventHeaders() {
    }
}

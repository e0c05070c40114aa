package org.orderflow.messaging;

import java.util.Objects;

/**
 * An event to publish through the outbox.
 *
 * @param topic   where it goes
 * @param type    its {@code ce_type}; the topic's name for the pipeline's events
 * @param key     the order id: all events of one order go to one partition, in order
 * @param payload a record serialised as snake_case JSON
 */
public record OutgoingEvent(String topic, String type, String key, Object payload) {
    public OutgoingEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
    }

    /** An event whose type is its topic's name (OrderConfirmed on OrderConfirmed). */
    public static OutgoingEvent of(String topic, String key, Object payload) {
        return new OutgoingEvent(topic, topic, key, payload);
    }
}

package org.orderflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A consumed event, decoded and validated against its type's JSON Schema.
 *
 * @param id          {@code ce_id}; for a record without headers, derived from type and order id (so a re-sent
 *                    order is a duplicate, not a second order)
 * @param key         the record key (the order id), empty when the producer set none
 * @param traceparent W3C trace context of the producer, if it sent one
 * @param envelope    whether the record came as a CloudEvent or bare (typed into kafka-console-producer)
 */
public record IncomingEvent(String id, String type, String source, Instant time, Optional<String> key, JsonNode payload,
                            Optional<String> traceparent, Envelope envelope) {

    /** How the event arrived. */
    public enum Envelope {
        /** With {@code ce_*} headers: id, type, source and time as the producer set them. */
        CLOUD_EVENT,
        /** A bare JSON value (typed into kafka-console-producer): type from the topic, id derived, source the topic. */
        BARE
    }

    /** An event as a CloudEvents producer without trace context sends it, keyed by its order (for tests and tools). */
    public static IncomingEvent of(String id, String type, String source, Instant time, String orderId, JsonNode payload) {
        return new IncomingEvent(id, type, source, time, Optional.of(orderId), payload, Optional.empty(), Envelope.CLOUD_EVENT);
    }

    /** The payload as the given record type (snake_case fields). */
    public <T> T payloadAs(Class<T> type) {
        try {
            return Json.mapper().treeToValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new MessagingException("Payload of " + this.type + " " + id + " does not map to " + type.getSimpleName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The order this event is about: {@code order_id} of the payload, else the key, else the empty string. */
    public String orderId() {
        JsonNode orderId = payload.get("order_id");
        return orderId != null && orderId.isTextual() ? orderId.asText() : key.orElse("");
    }
}

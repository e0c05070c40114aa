package org.orderflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A consumed event, decoded and validated against its type's JSON Schema.
 *
 * @param id          {@code ce_id}; for a record without headers, derived from type and order id (so a re-sent
 *                    order is a duplicate, not a second order)
 * @param key         the record key (the order id), or null when the producer set none
 * @param traceparent W3C trace context of the producer, or null
 * @param withHeaders false when the record came without CloudEvents headers (typed into kafka-console-producer)
 */
public record IncomingEvent(String id, String type, String source, Instant time, String key, JsonNode payload,
                            String traceparent, String topic, int partition, long offset, boolean withHeaders) {

    /** The payload as the given record type (snake_case fields). */
    public <T> T payloadAs(Class<T> type) {
        try {
            return Json.mapper().treeToValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new MessagingException("Payload of " + this.type + " " + id + " does not map to " + type.getSimpleName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The order this event is about: {@code order_id} of the payload, else the key. */
    public String orderId() {
        JsonNode orderId = payload.get("order_id");
        return orderId != null && orderId.isTextual() ? orderId.asText() : key;
    }
}

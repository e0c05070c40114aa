package org.orderflow.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One record to publish, stored as an explicit row: the topic, the key (which decides the partition, so records
 * of one key keep their order; null only to re-publish a record that had none), the headers (UTF-8 text values)
 * and the value's exact bytes.
 */
public record OutboxMessage(String topic, String key, Map<String, String> headers, byte[] payload) {
    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        headers = Map.copyOf(headers);
    }

    /** A message whose value is the given JSON text. */
    public static OutboxMessage json(String topic, String key, Map<String, String> headers, String json) {
        return new OutboxMessage(topic, key, headers, json.getBytes(StandardCharsets.UTF_8));
    }
}

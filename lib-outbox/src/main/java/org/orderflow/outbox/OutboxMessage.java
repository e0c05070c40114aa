package org.orderflow.outbox;

import java.util.Map;
import java.util.Objects;

/**
 * One record to publish, stored as an explicit row: the topic, the key (which decides the partition, so records
 * of one key keep their order), the headers and the JSON payload.
 */
public record OutboxMessage(String topic, String key, Map<String, String> headers, String payloadJson) {
    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payloadJson, "payloadJson");
        headers = Map.copyOf(headers);
    }
}

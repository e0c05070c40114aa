package org.orderflow.outbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record to publish, stored as an explicit row: the topic, the key (which decides the partition, so records
 * of one key keep their order; null only to re-publish a record that had none), the headers (UTF-8 text values),
 * headers kept byte for byte ({@code verbatimHeaders}, sent first and in order; a dead letter's original headers,
 * which may hold any bytes) and the value's exact bytes.
 */
public record OutboxMessage(String topic, String key, Map<String, String> headers, List<VerbatimHeader> verbatimHeaders,
                            byte[] payload) {
    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        headers = Map.copyOf(headers);
        verbatimHeaders = List.copyOf(verbatimHeaders);
    }

    /** A message with text headers only. */
    public OutboxMessage(String topic, String key, Map<String, String> headers, byte[] payload) {
        this(topic, key, headers, List.of(), payload);
    }

    /** A message whose value is the given JSON text. */
    public static OutboxMessage json(String topic, String key, Map<String, String> headers, String json) {
        return new OutboxMessage(topic, key, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A Kafka header as it was: any bytes, or none ({@code value} null). */
    public record VerbatimHeader(String name, byte[] value) {
        public VerbatimHeader {
            Objects.requireNonNull(name, "name");
        }
    }
}

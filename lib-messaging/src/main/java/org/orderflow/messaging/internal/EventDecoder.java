package org.orderflow.messaging.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;

/**
 * Turns a Kafka record into an {@link IncomingEvent}, or refuses it as poison. A record without CloudEvents headers
 * (typed into kafka-console-producer) is accepted: its type comes from the topic, its id is derived from the type
 * and the order id, so sending the same order twice is a duplicate.
 */
public final class EventDecoder {
    private static final int MAX_ID_LENGTH = 200;
    private final EventSchemas schemas;
    private final Map<String, String> typeByTopic;

    /** @param typeByTopic the event type of header-less records per topic; unlisted topics: the topic's name */
    public EventDecoder(EventSchemas schemas, Map<String, String> typeByTopic) {
        this.schemas = schemas;
        this.typeByTopic = Map.copyOf(typeByTopic);
    }

    public IncomingEvent decode(ConsumerRecord<String, byte[]> record) {
        JsonNode payload = parse(record);
        String headerType = header(record, EventHeaders.TYPE);
        String type = headerType != null ? headerType : typeByTopic.getOrDefault(record.topic(), record.topic());
        List<String> violations = schemas.violations(type, payload);
        if (!violations.isEmpty()) {
            throw new PoisonRecordException(type + " violates its schema: " + String.join("; ", violations));
        }
        String headerId = header(record, EventHeaders.ID);
        if (headerId != null && !isUsableId(headerId)) {
            throw new PoisonRecordException("Header " + EventHeaders.ID + " is not a usable event id: 1 to " + MAX_ID_LENGTH
                    + " characters without control characters, got " + headerId.length() + " characters");
        }
        String id = headerId != null ? headerId : derivedId(type, record, payload);
        return new IncomingEvent(id, type, sourceOf(record), timeOf(record), Optional.ofNullable(record.key()), payload,
                Optional.ofNullable(header(record, EventHeaders.TRACEPARENT)),
                headerId != null ? IncomingEvent.Envelope.CLOUD_EVENT : IncomingEvent.Envelope.BARE);
    }

    /** The id becomes an inbox key and a log field: bounded, printable. */
    private static boolean isUsableId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new PoisonRecordException("Record has no value (a tombstone)");
        }
        try {
            JsonNode payload = Json.mapper().readTree(record.value());
            if (payload == null || !payload.isObject()) {
                throw new PoisonRecordException("Value is not a JSON object");
            }
            return payload;
        } catch (IOException e) {
            throw new PoisonRecordException("Value is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The same order sent twice by hand gets the same id: the inbox then drops the second one. */
    private static String derivedId(String type, ConsumerRecord<String, byte[]> record, JsonNode payload) {
        JsonNode orderId = payload.get("order_id");
        String subject = orderId != null && orderId.isTextual() ? orderId.asText() : record.key();
        if (subject == null) {
            subject = new String(record.value(), StandardCharsets.UTF_8);
        }
        return UUID.nameUUIDFromBytes((type + ":" + subject).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String sourceOf(ConsumerRecord<String, byte[]> record) {
        String source = header(record, EventHeaders.SOURCE);
        return source != null ? source : "kafka:" + record.topic();
    }

    private static Instant timeOf(ConsumerRecord<String, byte[]> record) {
        String time = header(record, EventHeaders.TIME);
        if (time != null) {
            try {
                return Instant.parse(time);
            } catch (DateTimeParseException ignored) {
                // a malformed optional attribute: the record's own timestamp is as good
            }
        }
        return Instant.ofEpochMilli(record.timestamp());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

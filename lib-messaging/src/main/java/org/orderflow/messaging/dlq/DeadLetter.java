package org.orderflow.messaging.dlq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.orderflow.messaging.EventHeaders;

/**
 * A record of the {@code DeadLetterQueue} topic, read as the consumer runtime wrote it: the original record (key,
 * value, headers byte for byte) plus the {@code dlq_*} context headers saying where it came from and why it failed.
 * {@link #replay()} is the original record again, for its original topic, marked ({@link EventHeaders#REPLAY_OF})
 * so that the consumer lets the event through its inbox once, and once only, however often it is replayed.
 *
 * @param id       where the dead letter is: {@code <partition>@<offset>} of the dead-letter topic
 * @param key      the original key's bytes; null when it had none (or for a minimal dead letter)
 * @param value    the original value's bytes (empty for a minimal dead letter)
 * @param original the original headers in order, byte for byte
 * @param context  the {@code dlq_*} headers as text
 * @param timestamp when the dead letter was written (epoch millis)
 */
public record DeadLetter(String id, byte[] key, byte[] value, List<Header> original, Map<String, String> context, long timestamp) {
    /** The topic every consumer of this runtime sends its dead letters to. */
    public static final String TOPIC = "DeadLetterQueue";

    public DeadLetter {
        original = List.copyOf(original);
        context = Map.copyOf(context);
    }

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        List<Header> original = new ArrayList<>();
        Map<String, String> context = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.key().startsWith("dlq_")) {
                context.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
            } else {
                original.add(new RecordHeader(header.key(), header.value()));
            }
        }
        return new DeadLetter(record.partition() + "@" + record.offset(), record.key(),
                record.value() == null ? new byte[0] : record.value(), original, context, record.timestamp());
    }

    /** Parses {@code <partition>@<offset>}; empty when {@code id} is not of that form. */
    public static Optional<long[]> position(String id) {
        String[] parts = id.split("@");
        try {
            return parts.length == 2 ? Optional.of(new long[] {Integer.parseInt(parts[0]), Long.parseLong(parts[1])}) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String originalTopic() {
        return context.getOrDefault("dlq_original_topic", "");
    }

    /** Where the original was: {@code <topic>-<partition>@<offset>}. */
    public String from() {
        return originalTopic() + "-" + context.getOrDefault("dlq_original_partition", "?") + "@" + context.getOrDefault("dlq_original_offset", "?");
    }

    /** Why it failed: the exception's simple class name and its message. */
    public String error() {
        String className = context.getOrDefault("dlq_exception_class", "?");
        return className.substring(className.lastIndexOf('.') + 1) + ": " + context.getOrDefault("dlq_exception_message", "");
    }

    /** The service whose consumer dead-lettered it. */
    public String service() {
        return context.getOrDefault("dlq_service", "");
    }

    /**
     * A minimal dead letter holds no original key, value or headers (they could not be stored); it cannot be replayed,
     * only read from its original position while Kafka keeps it.
     */
    public boolean isMinimal() {
        return "true".equals(context.get("dlq_minimal"));
    }

    /** The original record for its original topic, with the replay mark. */
    public ProducerRecord<byte[], byte[]> replay() {
        if (isMinimal() || originalTopic().isEmpty()) {
            throw new IllegalStateException("Dead letter " + id + " is minimal or names no original topic: it cannot be replayed");
        }
        List<Header> headers = new ArrayList<>(original);
        headers.add(new RecordHeader(EventHeaders.REPLAY_OF, (TOPIC + "-" + id).getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(originalTopic(), null, key, value, headers);
    }
}

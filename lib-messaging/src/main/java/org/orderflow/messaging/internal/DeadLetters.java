package org.orderflow.messaging.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.dlq.DeadLetter;
import org.orderflow.outbox.OutboxMessage;
import org.orderflow.outbox.OutboxMessage.VerbatimHeader;

/**
 * Builds dead letters: the original key, value and headers unchanged (header values byte for byte, NUL and binary
 * included), plus {@code dlq_*} text headers that say where the record came from and why it failed, so that it can
 * be inspected and replayed to its original topic ({@link EventHeaders#REPLAY_OF}).
 */
final class DeadLetters {
    private static final int STACK_EXCERPT = 2000;
    private static final int MESSAGE_EXCERPT = 1000;

    private final String service;
    private final String group;
    private final Clock clock;

    DeadLetters(String service, String group, Clock clock) {
        this.service = service;
        this.group = group;
        this.clock = clock;
    }

    OutboxMessage of(ConsumerRecord<String, byte[]> record, Throwable failure, int attempts) {
        List<VerbatimHeader> original = new ArrayList<>();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dlq_")) {
                original.add(new VerbatimHeader(header.key(), header.value()));
            }
        }
        byte[] value = record.value() != null ? record.value() : new byte[0];
        return new OutboxMessage(DeadLetter.TOPIC, record.key(), context(record, failure, attempts), original, value);
    }

    /**
     * The dead letter of a record whose full dead letter could not be stored (a key PostgreSQL's text cannot hold, a
     * value too large): no key, no value, no original headers; where it was, how large its parts were, and why. It
     * lets the partition move on, and says where to find the original while Kafka keeps it.
     */
    OutboxMessage minimal(ConsumerRecord<String, byte[]> record, Throwable failure, int attempts, Throwable whyNotFull) {
        Map<String, String> headers = context(record, failure, attempts);
        headers.put("dlq_minimal", "true");
        headers.put("dlq_minimal_reason", excerpt(String.valueOf(whyNotFull), MESSAGE_EXCERPT));
        headers.put("dlq_original_key_bytes", Integer.toString(Math.max(0, record.serializedKeySize())));
        headers.put("dlq_original_value_bytes", Integer.toString(Math.max(0, record.serializedValueSize())));
        headers.put("dlq_original_header_count", Integer.toString(record.headers().toArray().length));
        return new OutboxMessage(DeadLetter.TOPIC, null, headers, new byte[0]);
    }

    private Map<String, String> context(ConsumerRecord<String, byte[]> record, Throwable failure, int attempts) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("dlq_original_topic", record.topic());
        headers.put("dlq_original_partition", Integer.toString(record.partition()));
        headers.put("dlq_original_offset", Long.toString(record.offset()));
        headers.put("dlq_original_timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        headers.put("dlq_consumer_group", group);
        headers.put("dlq_service", service);
        headers.put("dlq_exception_class", failure.getClass().getName());
        headers.put("dlq_exception_message", excerpt(String.valueOf(failure.getMessage()), MESSAGE_EXCERPT));
        headers.put("dlq_exception_stacktrace", stackExcerpt(failure));
        headers.put("dlq_attempts", Integer.toString(attempts));
        headers.put("dlq_failed_at", clock.instant().toString());
        return headers;
    }

    private static String stackExcerpt(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return excerpt(trace.toString(), STACK_EXCERPT);
    }

    /**
     * Header values stay on one line, so that line-based tools (kafka-console-consumer, grep) show one record a line,
     * and hold no control characters: a message may quote the record's bytes, and JSONB text cannot hold NUL.
     */
    private static String excerpt(String text, int limit) {
        String line = text.strip().replaceAll("\\s*\\R\\s*", " | ").replaceAll("\\p{Cntrl}", "?");
        return line.length() <= limit ? line : line.substring(0, limit);
    }
}

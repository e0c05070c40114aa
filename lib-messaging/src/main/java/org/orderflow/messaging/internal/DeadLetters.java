package org.orderflow.messaging.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.orderflow.messaging.Topics;
import org.orderflow.outbox.OutboxMessage;

/**
 * Builds dead letters: the original key, value and headers unchanged, plus {@code dlq_*} headers that say where the
 * record came from and why it failed, so that it can be inspected and replayed to its original topic.
 */
final class DeadLetters {
    private static final int STACK_EXCERPT = 2000;

    private final String service;
    private final String group;
    private final Clock clock;

    DeadLetters(String service, String group, Clock clock) {
        this.service = service;
        this.group = group;
        this.clock = clock;
    }

    OutboxMessage of(ConsumerRecord<String, byte[]> record, Throwable failure, int attempts) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null && !header.key().startsWith("dlq_")) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        headers.put("dlq_original_topic", record.topic());
        headers.put("dlq_original_partition", Integer.toString(record.partition()));
        headers.put("dlq_original_offset", Long.toString(record.offset()));
        headers.put("dlq_original_timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        headers.put("dlq_consumer_group", group);
        headers.put("dlq_service", service);
        headers.put("dlq_exception_class", failure.getClass().getName());
        headers.put("dlq_exception_message", oneLine(String.valueOf(failure.getMessage())));
        headers.put("dlq_exception_stacktrace", stackExcerpt(failure));
        headers.put("dlq_attempts", Integer.toString(attempts));
        headers.put("dlq_failed_at", clock.instant().toString());
        byte[] value = record.value() != null ? record.value() : new byte[0];
        return new OutboxMessage(Topics.DEAD_LETTER_QUEUE, record.key(), headers, value);
    }

    private static String stackExcerpt(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String text = oneLine(trace.toString());
        return text.length() <= STACK_EXCERPT ? text : text.substring(0, STACK_EXCERPT);
    }

    /** Header values stay on one line, so that line-based tools (kafka-console-consumer, grep) show one record a line. */
    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " | ");
    }
}

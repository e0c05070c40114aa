package org.orderflow.outbox.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.orderflow.outbox.OutboxMessage.VerbatimHeader;

/** An outbox row on its way to Kafka. */
record PendingRow(long id, String topic, String key, Map<String, String> headers, List<VerbatimHeader> verbatimHeaders,
                  byte[] payload) {

    ProducerRecord<String, byte[]> toRecord() {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, payload);
        verbatimHeaders.forEach(header -> record.headers().add(new RecordHeader(header.name(), header.value())));
        headers.forEach((name, value) -> record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        return record;
    }
}

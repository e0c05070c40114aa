package org.orderflow.messaging.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.IncomingEvent;

/** One polled record: decoded into an event, or refused as poison (then {@code event} is null). */
record Item(ConsumerRecord<String, byte[]> record, IncomingEvent event, PoisonRecordException poison) {

    boolean isPoison() {
        return poison != null;
    }

    /** The inbox key: the event id; for a record that could not be decoded, its position. */
    String inboxId() {
        return event != null ? event.id() : positionId(record);
    }

    /** An inbox key from the record's position: for records without a usable event id. */
    static String positionId(ConsumerRecord<String, byte[]> record) {
        return "poison:" + record.topic() + ":" + record.partition() + ":" + record.offset();
    }

    /** Sent back from the dead-letter queue by an operator ({@link EventHeaders#REPLAY_OF}). */
    boolean isReplay() {
        return record.headers().lastHeader(EventHeaders.REPLAY_OF) != null;
    }

    RecordPosition position() {
        return RecordPosition.of(record);
    }

    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }
}

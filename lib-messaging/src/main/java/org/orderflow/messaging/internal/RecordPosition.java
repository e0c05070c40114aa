package org.orderflow.messaging.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Where a record is: the key of its retry state, and how logs name it ({@code topic-partition@offset}). */
record RecordPosition(TopicPartition partition, long offset) {

    static RecordPosition of(ConsumerRecord<?, ?> record) {
        return new RecordPosition(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}

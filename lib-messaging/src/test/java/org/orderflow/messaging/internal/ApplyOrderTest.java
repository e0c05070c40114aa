package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;

class ApplyOrderTest {

    @Test
    void eventsOfOneTypeFromSeveralPartitionsAreAppliedTogether() {
        List<Item> poll = List.of(item("Confirmed", 0, 10), item("Confirmed", 0, 11), item("Shipped", 1, 20),
                item("Confirmed", 2, 30), item("Shipped", 3, 40), item("Confirmed", 2, 31));

        assertThat(ApplyOrder.typesTogether(poll)).extracting(ApplyOrderTest::position)
                .containsExactly("Confirmed@0:10", "Confirmed@0:11", "Confirmed@2:30", "Confirmed@2:31", "Shipped@1:20", "Shipped@3:40");
    }

    @Test
    void eachPartitionKeepsItsOrderWhenItMixesTypes() {
        List<Item> poll = List.of(item("Received", 0, 1), item("Cancelled", 0, 2), item("Received", 0, 3),
                item("Received", 1, 7), item("Cancelled", 1, 8));

        assertThat(ApplyOrder.typesTogether(poll)).extracting(ApplyOrderTest::position)
                .containsExactly("Received@0:1", "Received@1:7", "Cancelled@0:2", "Cancelled@1:8", "Received@0:3");
    }

    @Test
    void anOrdersEarlierEventInAnotherPartitionIsAppliedFirst() {
        List<Item> poll = List.of(item("Confirmed", 0, 5, "order-a", 20), item("Received", 1, 9, "order-a", 10));

        assertThat(ApplyOrder.typesTogether(poll)).extracting(ApplyOrderTest::position)
                .containsExactly("Received@1:9", "Confirmed@0:5");
    }

    @Test
    void onlyTheEventsThatWaitForTheirOrdersCauseLeaveTheirRun() {
        List<Item> poll = List.of(item("Confirmed", 0, 1, "order-a", 20), item("Received", 1, 1, "order-a", 10),
                item("Confirmed", 2, 1, "order-b", 5), item("Received", 3, 1, "order-c", 30), item("Confirmed", 4, 1, "order-d", 25));

        assertThat(ApplyOrder.typesTogether(poll)).extracting(ApplyOrderTest::position)
                .containsExactly("Confirmed@2:1", "Confirmed@4:1", "Received@1:1", "Received@3:1", "Confirmed@0:1");
    }

    private static Item item(String type, int partition, long offset) {
        return item(type, partition, offset, "key", ConsumerRecord.NO_TIMESTAMP);
    }

    private static Item item(String type, int partition, long offset, String key, long timestamp) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("topic", partition, offset, timestamp, TimestampType.CREATE_TIME,
                0, 0, key, new byte[0], new RecordHeaders(), Optional.empty());
        IncomingEvent event = new IncomingEvent("e-" + partition + "-" + offset, type, "test", Instant.EPOCH, Optional.of(key),
                Json.mapper().createObjectNode(), Optional.empty(), IncomingEvent.Envelope.CLOUD_EVENT);
        return new Item(record, event, null);
    }

    private static String position(Item item) {
        return item.event().type() + "@" + item.record().partition() + ":" + item.record().offset();
    }
}

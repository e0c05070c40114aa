package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.IncomingEvent;

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

    private static Item item(String type, int partition, long offset) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("topic", partition, offset, "key", new byte[0]);
        IncomingEvent event = new IncomingEvent("e-" + partition + "-" + offset, type, "test", null, "key", null, null, "topic",
                partition, offset, true);
        return new Item(record, event, null);
    }

    private static String position(Item item) {
        return item.event().type() + "@" + item.record().partition() + ":" + item.record().offset();
    }
}

package org.orderflow.messaging.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The order a poll's records are applied in. A poll lists its records partition after partition, and Kafka orders
 * them within a partition only. Applied as listed, the events of one type in several partitions were as many short
 * runs, each a call of a set-based handler: in svc-order, which follows six topics (three of them busy), 4.7
 * status-change statements per poll at 100 orders/s. Here each partition keeps its order, and the runs of one type at the heads of all partitions
 * are applied as one.
 */
final class ApplyOrder {
    private ApplyOrder() {
    }

    static List<Item> typesTogether(List<Item> items) {
        Map<TopicPartition, Deque<Item>> byPartition = new LinkedHashMap<>();
        items.forEach(item -> byPartition.computeIfAbsent(item.partition(), partition -> new ArrayDeque<>()).add(item));
        if (byPartition.size() < 2) {
            return items;
        }
        List<Item> ordered = new ArrayList<>(items.size());
        while (ordered.size() < items.size()) {
            String type = null;
            for (Deque<Item> partition : byPartition.values()) {
                if (type == null && !partition.isEmpty()) {
                    type = typeOf(partition.peek());
                }
                while (!partition.isEmpty() && typeOf(partition.peek()).equals(type)) {
                    ordered.add(partition.poll());
                }
            }
        }
        return ordered;
    }

    /** Records that could not be decoded go to the dead-letter queue, in no run: their partition's order is what counts. */
    private static String typeOf(Item item) {
        return item.isPoison() ? "" : item.event().type();
    }
}

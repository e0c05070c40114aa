package org.orderflow.messaging.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * The order a poll's records are applied in. A poll lists its records partition after partition, and Kafka orders
 * them within a partition only. Applied as listed, the events of one type in several partitions were as many short
 * runs, each a call of a set-based handler: in svc-order, which follows six topics (three of them busy), 4.7
 * status-change statements per poll at 100 orders/s. Here each partition keeps its order, and the runs of one type at
 * the heads of all partitions are applied as one.
 *
 * <p>One order's events travel on different topics, so one poll can hold an order's OrderReceived and the
 * OrderConfirmed it caused, in partitions of their own. Gathering by type alone could apply the effect first. So an
 * event waits while an event of the same key (the order) with an older record timestamp is still pending in another
 * partition: a cause is published before its effect, and the publishing relay stamps each record as it sends it.
 * Events of different orders are gathered freely, which keeps the runs long.
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
        Map<String, List<Item>> pendingByKey = new HashMap<>();
        items.stream().filter(item -> item.record().key() != null)
                .forEach(item -> pendingByKey.computeIfAbsent(item.record().key(), key -> new ArrayList<>()).add(item));
        List<Item> ordered = new ArrayList<>(items.size());
        while (ordered.size() < items.size()) {
            Item oldest = oldestHead(byPartition.values());
            String type = typeOf(oldest);
            for (Deque<Item> partition : byPartition.values()) {
                // The oldest head goes whatever the clocks say, so that every round applies something.
                while (!partition.isEmpty() && typeOf(partition.peek()).equals(type)
                        && (partition.peek() == oldest || !waitsForOlderOfItsKey(partition.peek(), pendingByKey))) {
                    Item next = partition.poll();
                    ordered.add(next);
                    if (next.record().key() != null) {
                        pendingByKey.get(next.record().key()).remove(next);
                    }
                }
            }
        }
        return ordered;
    }

    /** The head with the oldest record timestamp; of equals, the first partition listed. */
    private static Item oldestHead(Iterable<Deque<Item>> partitions) {
        Item oldest = null;
        for (Deque<Item> partition : partitions) {
            Item head = partition.peek();
            if (head != null && (oldest == null || head.record().timestamp() < oldest.record().timestamp())) {
                oldest = head;
            }
        }
        return Objects.requireNonNull(oldest);
    }

    /** True when an event of the same key, stamped earlier, is pending in another partition (its cause, maybe). */
    private static boolean waitsForOlderOfItsKey(Item item, Map<String, List<Item>> pendingByKey) {
        if (item.record().key() == null) {
            return false;
        }
        TopicPartition partition = item.partition();
        long timestamp = item.record().timestamp();
        return pendingByKey.get(item.record().key()).stream()
                .anyMatch(other -> other.record().timestamp() < timestamp && !other.partition().equals(partition));
    }

    /** Records that could not be decoded go to the dead-letter queue, in no run: their partition's order is what counts. */
    private static String typeOf(Item item) {
        return item.isPoison() ? "" : item.event().type();
    }
}

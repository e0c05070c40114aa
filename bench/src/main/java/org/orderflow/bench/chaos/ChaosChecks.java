package org.orderflow.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.bench.chaos.Catalogue.Stock;
import org.orderflow.messaging.dlq.DeadLetter;

/**
 * The verdicts of a run, from the services' own databases and the topics, never from what the services answered:
 * every accepted order is final, none is both cancelled and shipped, each shipped order has one shipment and one
 * notification of each kind, no notification is repeated, stock is exact, nothing was dead-lettered, and each order's
 * status history follows the pipeline.
 */
final class ChaosChecks {
    static final Set<String> FINAL = Set.of("SHIPPED", "CANCELLED", "REJECTED");
    static final List<String> SHIPPED_KINDS = List.of("ORDER_RECEIVED", "ORDER_CONFIRMED", "ORDER_PICKED_AND_PACKED", "ORDER_SHIPPED");
    /** The steps to shipping, by stage; written out again here so that the check does not trust svc-order's. */
    private static final Map<String, Integer> STAGE = Map.of("RECEIVED", 0, "CONFIRMED", 1, "REJECTED", 1, "PICKED_AND_PACKED", 2,
            "SHIPPED", 3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceDatabases databases;
    private final Catalogue catalogue;
    private final TopicMark notifications;
    private final TopicMark deadLetters;

    ChaosChecks(ServiceDatabases databases, Catalogue catalogue, TopicMark notifications, TopicMark deadLetters) {
        this.databases = databases;
        this.catalogue = catalogue;
        this.notifications = notifications;
        this.deadLetters = deadLetters;
    }

    /** Order id to status, for the accepted orders svc-order has; a missing one was lost. */
    Map<String, String> statuses(Set<String> orderIds) {
        return databases.of("order").withHandle(handle -> handle.createQuery("SELECT order_id, status FROM orders WHERE order_id = ANY(:ids)")
                .bindArray("ids", String.class, List.copyOf(orderIds))
                .setMapKeyColumn("order_id").setMapValueColumn("status")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() { }));
    }

    List<Check> run(Set<String> accepted) {
        Map<String, String> status = statuses(accepted);
        Set<String> shipped = withStatus(status, "SHIPPED");
        Set<String> shipments = orderIdsIn(databases.of("shipper"), "SELECT order_id FROM shipments WHERE order_id = ANY(:ids)", accepted);
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("every accepted order is SHIPPED, CANCELLED or REJECTED", accepted.size(), accepted.stream()
                .filter(id -> !FINAL.contains(status.getOrDefault(id, "")))
                .map(id -> id + " is " + status.getOrDefault(id, "missing from svc-order")).toList()));
        checks.add(Check.of("no order both cancelled (or rejected) and shipped", accepted.size(), shipments.stream()
                .filter(id -> !shipped.contains(id)).map(id -> id + " has a shipment but is " + status.get(id)).toList()));
        checks.add(Check.of("every shipped order has one shipment", shipped.size(), shipped.stream()
                .filter(id -> !shipments.contains(id)).map(id -> id + " is SHIPPED without a shipment").toList()));
        Map<String, Map<String, Integer>> stored = storedNotifications(accepted);
        checks.add(Check.of("every shipped order has exactly one notification of each kind", shipped.size(), shipped.stream()
                .filter(id -> SHIPPED_KINDS.stream().anyMatch(kind -> stored.getOrDefault(id, Map.of()).getOrDefault(kind, 0) != 1))
                .map(id -> id + " was told " + stored.getOrDefault(id, Map.of())).toList()));
        checks.add(Check.of("no notification stored twice", accepted.size(), stored.entrySet().stream()
                .filter(order -> order.getValue().values().stream().anyMatch(count -> count > 1))
                .map(order -> order.getKey() + " was told " + order.getValue()).toList()));
        checks.add(publishedNotifications(accepted));
        checks.add(stock(shipped));
        List<String> dead = new ArrayList<>();
        deadLetters.forEachSince(record -> dead.add(describeDeadLetter(record)));
        checks.add(Check.of("nothing dead-lettered during the run", dead.size(), dead));
        checks.add(histories(accepted, status));
        return checks;
    }

    private static Set<String> withStatus(Map<String, String> status, String wanted) {
        return status.entrySet().stream().filter(entry -> entry.getValue().equals(wanted)).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static Set<String> orderIdsIn(Jdbi database, String sql, Set<String> ids) {
        return new HashSet<>(database.withHandle(handle -> handle.createQuery(sql).bindArray("ids", String.class, List.copyOf(ids))
                .mapTo(String.class).list()));
    }

    /** Order id to kind to how many notifications svc-notification stored. */
    private Map<String, Map<String, Integer>> storedNotifications(Set<String> ids) {
        Map<String, Map<String, Integer>> told = new HashMap<>();
        databases.of("notification").useHandle(handle -> handle.createQuery(
                        "SELECT order_id, kind, count(*) AS told FROM notifications WHERE order_id = ANY(:ids) GROUP BY order_id, kind")
                .bindArray("ids", String.class, List.copyOf(ids))
                .map((rows, context) -> { // a row at a time: 36,000 orders fit, but need not be held twice
                    told.computeIfAbsent(rows.getString("order_id"), id -> new HashMap<>()).put(rows.getString("kind"), rows.getInt("told"));
                    return 0;
                })
                .forEach(ignored -> { }));
        return told;
    }

    /**
     * On the Notification topic, each order's kind comes from one event: a record the relay sent again after a crash
     * carries the same event id, which consumers skip, and is counted apart, not as a violation.
     */
    private Check publishedNotifications(Set<String> ids) {
        Map<String, Set<String>> eventIdsByOrderAndKind = new HashMap<>();
        LongAdder records = new LongAdder();
        notifications.forEachSince(record -> {
            JsonNode value = parse(record.value());
            String orderId = value.path("order_id").asText();
            if (ids.contains(orderId)) {
                records.increment();
                Header id = record.headers().lastHeader("ce_id");
                eventIdsByOrderAndKind.computeIfAbsent(orderId + " " + value.path("kind").asText(), key -> new HashSet<>())
                        .add(id == null ? "none" : new String(id.value(), StandardCharsets.UTF_8));
            }
        });
        long distinct = eventIdsByOrderAndKind.values().stream().mapToLong(Set::size).sum();
        return Check.of("no notification published twice as different events (" + (records.sum() - distinct)
                        + " records re-sent with the same event id)", eventIdsByOrderAndKind.size(), eventIdsByOrderAndKind.entrySet().stream()
                .filter(entry -> entry.getValue().size() > 1).map(entry -> entry.getKey() + " has events " + entry.getValue()).toList());
    }

    /** On hand is what the run began with less what shipped; nothing stays reserved once every order is final. */
    private Check stock(Set<String> shipped) {
        Map<String, Long> shippedQuantity = new HashMap<>();
        databases.of("order").useHandle(handle -> handle.createQuery(
                        "SELECT product_id, sum(quantity) AS shipped FROM order_items WHERE order_id = ANY(:ids) GROUP BY product_id")
                .bindArray("ids", String.class, List.copyOf(shipped))
                .map((rows, context) -> shippedQuantity.put(rows.getString("product_id"), rows.getLong("shipped")))
                .forEach(ignored -> { }));
        Map<String, Stock> now = catalogue.stockNow(databases.of("inventory"));
        List<String> wrong = new ArrayList<>();
        catalogue.initialStock().forEach((product, initial) -> {
            long expected = initial - shippedQuantity.getOrDefault(product, 0L);
            Stock stock = now.get(product);
            if (stock == null || stock.onHand() != expected || stock.reserved() != 0) {
                wrong.add(product + ": on hand " + (stock == null ? "?" : stock.onHand()) + ", expected " + expected
                        + " (" + initial + " less " + shippedQuantity.getOrDefault(product, 0L) + " shipped), reserved "
                        + (stock == null ? "?" : stock.reserved()));
            }
        });
        return Check.of("stock is exact: on hand = initial - shipped, nothing reserved", catalogue.initialStock().size(), wrong);
    }

    /**
     * Each order's history follows the pipeline. Its steps to shipping, by time, go forward: RECEIVED, then CONFIRMED
     * or REJECTED, then PICKED_AND_PACKED, then SHIPPED, none twice and none back; a shipped or rejected order has
     * every step before its last (svc-order records a step whose event came late). A cancellation is decided by
     * svc-shipper while the warehouse may still be packing, so CANCELLED may come before PICKED_AND_PACKED in time,
     * never with SHIPPED or REJECTED; and a step whose event came after the cancellation is left out by design
     * (whether it happened before it is unknown), so a cancelled order's steps may have gaps. The last word is the
     * order's status.
     */
    private Check histories(Set<String> ids, Map<String, String> status) {
        Map<String, List<String>> history = new HashMap<>();
        databases.of("order").useHandle(handle -> handle.createQuery("""
                        SELECT order_id, status FROM order_status_history WHERE order_id = ANY(:ids) ORDER BY order_id, changed_at""")
                .bindArray("ids", String.class, List.copyOf(ids))
                .map((rows, context) -> history.computeIfAbsent(rows.getString("order_id"), id -> new ArrayList<>()).add(rows.getString("status")))
                .forEach(ignored -> { }));
        List<String> wrong = new ArrayList<>();
        history.forEach((orderId, statuses) -> {
            if (!followsThePipeline(statuses, status.get(orderId))) {
                wrong.add(orderId + " is " + status.get(orderId) + " after " + statuses);
            }
        });
        return Check.of("each order's status history follows the pipeline", history.size(), wrong);
    }

    static boolean followsThePipeline(List<String> statuses, String finalStatus) {
        List<String> steps = statuses.stream().filter(step -> !step.equals("CANCELLED")).toList();
        boolean cancelled = steps.size() < statuses.size();
        boolean inOrder = new HashSet<>(statuses).size() == statuses.size() && !steps.isEmpty() && steps.get(0).equals("RECEIVED");
        for (int i = 1; i < steps.size() && inOrder; i++) {
            inOrder = STAGE.getOrDefault(steps.get(i), -1) > STAGE.getOrDefault(steps.get(i - 1), 99);
        }
        String last = steps.isEmpty() ? "" : steps.get(steps.size() - 1);
        boolean whole = cancelled || steps.size() == STAGE.getOrDefault(last, -1) + 1;
        boolean ends = cancelled ? !last.equals("SHIPPED") && !last.equals("REJECTED") && "CANCELLED".equals(finalStatus)
                : last.equals(finalStatus);
        return inOrder && whole && ends;
    }

    private static String describeDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        DeadLetter letter = DeadLetter.of(record);
        return letter.id() + " from " + letter.service() + " (" + letter.originalTopic() + "): " + letter.context();
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

}

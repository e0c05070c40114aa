package org.orderflow.order.orders;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.sql.SqlArrays;

/**
 * The SQL that writes orders, their items and their status history; {@link OrderViews} reads them for the API. Every
 * method runs in the caller's transaction.
 */
class OrderRepository { // not final: a test steps in between its statements
    /** Items, from arrays bound by {@link #itemArrays}: for new orders, and for an order that learns its items late. */
    private static final String INSERT_ITEMS = """
            INSERT INTO order_items (order_id, line, product_id, name, quantity, price)
                SELECT i.order_id, i.line, i.product_id, i.name, i.quantity, i.price
                FROM unnest(CAST(:itemOrders AS text[]), CAST(:itemLines AS int[]), CAST(:itemProducts AS text[]),
                            CAST(:itemNames AS text[]), CAST(:itemQuantities AS int[]), CAST(:itemPrices AS numeric[]))
                     AS i (order_id, line, product_id, name, quantity, price)""";

    /** New orders, their items and their first history rows, from arrays: see {@link #insertAll}. */
    private static final String INSERT_ORDERS = """
            WITH inserted AS (
                INSERT INTO orders (order_id, customer_id, status, total, currency, source, created_at, updated_at)
                SELECT id, customer, status, total, currency, source, at, at
                FROM unnest(CAST(:ids AS text[]), CAST(:customers AS text[]), CAST(:statuses AS text[]),
                            CAST(:totals AS numeric[]), CAST(:currencies AS text[]), CAST(:sources AS text[]),
                            CAST(:ats AS timestamptz[])) AS o (id, customer, status, total, currency, source, at)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING order_id, status, created_at),
            items AS (
                %s
                WHERE i.order_id IN (SELECT order_id FROM inserted)
                ON CONFLICT DO NOTHING),
            history AS (
                INSERT INTO order_status_history (order_id, status, changed_at, changed_by)
                SELECT inserted.order_id, inserted.status, inserted.created_at, h.changed_by
                FROM inserted JOIN unnest(CAST(:ids AS text[]), CAST(:changedBy AS text[])) AS h (order_id, changed_by)
                     USING (order_id))
            SELECT order_id FROM inserted""".formatted(INSERT_ITEMS);

    /** A new order's row; false when an order with that id exists already. */
    boolean insert(Handle handle, NewOrder order) {
        return !insertAll(handle, List.of(order)).isEmpty();
    }

    /**
     * New orders with their items and first history entry, in one statement whatever their number (group commit of
     * POST /orders): one round trip instead of three, which at 100 orders/s, with a transaction or two per order, was
     * two thirds of the statements svc-order's POSTs sent. Returns the orders inserted; those whose id exists already
     * are left as they are, and so are their items and history.
     */
    List<NewOrder> insertAll(Handle handle, List<NewOrder> orders) {
        List<ItemRow> items = orders.stream().flatMap(order -> ItemRow.of(order).stream()).toList();
        Set<String> inserted = new HashSet<>(handle.createQuery(INSERT_ORDERS)
                .bind("ids", SqlArrays.text(column(orders, NewOrder::orderId)))
                .bind("customers", SqlArrays.text(column(orders, NewOrder::customerId)))
                .bind("statuses", SqlArrays.text(column(orders, order -> order.status().name())))
                .bind("totals", SqlArrays.text(column(orders, order -> order.total().toPlainString())))
                .bind("currencies", SqlArrays.text(column(orders, NewOrder::currency)))
                .bind("sources", SqlArrays.text(column(orders, NewOrder::source)))
                .bind("ats", SqlArrays.text(column(orders, order -> order.at().toString())))
                .bind("changedBy", SqlArrays.text(column(orders, NewOrder::changedBy)))
                .bindMap(itemArrays(items))
                .mapTo(String.class)
                .list());
        return orders.stream().filter(order -> inserted.contains(order.orderId())).toList();
    }

    /** The items of an order that has none yet (an order created from a later event learns them from OrderReceived). */
    void insertItems(Handle handle, NewOrder order) {
        handle.createUpdate(INSERT_ITEMS + " ON CONFLICT DO NOTHING").bindMap(itemArrays(ItemRow.of(order))).execute();
    }

    /** The arrays {@link #INSERT_ITEMS} unnests, one per column. */
    private static Map<String, Object> itemArrays(List<ItemRow> items) {
        return Map.of(
                "itemOrders", SqlArrays.text(items.stream().map(ItemRow::orderId).toList()),
                "itemLines", SqlArrays.integers(items.stream().map(ItemRow::line).toList()),
                "itemProducts", SqlArrays.text(items.stream().map(item -> item.item().productId()).toList()),
                "itemNames", SqlArrays.text(items.stream().map(item -> item.item().name()).toList()),
                "itemQuantities", SqlArrays.integers(items.stream().map(item -> item.item().quantity()).toList()),
                "itemPrices", SqlArrays.text(items.stream()
                        .map(item -> item.item().price() == null ? null : item.item().price().toPlainString()).toList()));
    }

    /** Marks an order created from a later event: its OrderReceived is still on its way. */
    void markAwaitingReceived(Handle handle, String orderId) {
        handle.createUpdate("UPDATE orders SET awaiting_received = true WHERE order_id = :orderId").bind("orderId", orderId).execute();
    }

    /**
     * Completes an order a later event created, from its OrderReceived: the customer's data, and the RECEIVED step's
     * time and source. False when the order was not waiting for it (received before: a duplicate); an order created
     * before V5 counts as waiting while it has no items.
     */
    boolean completeReceived(Handle handle, NewOrder received) {
        return handle.createQuery("""
                        WITH completed AS (
                            UPDATE orders SET customer_id = :customerId, total = :total, currency = :currency, awaiting_received = false
                            WHERE order_id = :orderId
                              AND (awaiting_received OR NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = :orderId))
                            RETURNING order_id),
                        history AS (
                            UPDATE order_status_history SET changed_at = :at, changed_by = :changedBy
                            WHERE order_id IN (SELECT order_id FROM completed) AND status = 'RECEIVED')
                        SELECT count(*) FROM completed""")
                .bind("orderId", received.orderId())
                .bind("customerId", received.customerId())
                .bind("total", received.total())
                .bind("currency", received.currency())
                .bind("at", received.at())
                .bind("changedBy", received.changedBy())
                .mapTo(Long.class).one() == 1;
    }

    boolean hasItems(Handle handle, String orderId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM order_items WHERE order_id = :orderId)")
                .bind("orderId", orderId).mapTo(Boolean.class).one();
    }

    /** The order's status, its row locked until the transaction ends (status changes of one order serialise). */
    Optional<OrderStatus> lockStatus(Handle handle, String orderId) {
        return handle.createQuery("SELECT status FROM orders WHERE order_id = :orderId FOR UPDATE")
                .bind("orderId", orderId).mapTo(String.class).findOne().map(OrderStatus::valueOf);
    }

    /**
     * Moves each order to {@code status} if that is forward from where it is, and records the step: one statement.
     * The UPDATE locks the rows, and PostgreSQL re-checks the condition on the newest version when a concurrent change
     * got there first. An order that a later step of the way to shipping has passed keeps its status, and the late
     * step goes into its history ({@link OrderStatus#passedBy}): events of different topics often come in one poll
     * in the other order. Orders in neither set are unknown, or went another way (cancelled, rejected).
     *
     * <p>How the statement is shaped matters as the table grows:
     * <ul>
     *   <li>Orders are found by primary key ({@code order_id = ANY}). The status is not indexed, so that the change is
     *       a HOT update (V3): no index entries, the new version on the same page. While it was indexed, the planner,
     *       believing a status rare, read orders through that index, whose entries for every earlier version of every
     *       row grow with the table; hence {@code <> ALL} rather than {@code status = ANY}.</li>
     *   <li>The UPDATE takes each order's time from the array by position instead of joining the moves: most orders
     *       being done, the planner expects one row to move and picked a nested loop over the moves, 300 x 300
     *       comparisons for a poll of 300 (37 ms a statement at 600 orders/s). The arrays are cast in sub-selects,
     *       which run once: a cast in the row's expression runs for every row under a generic plan (85 ms for 400
     *       rows, parsing 400 timestamps each time; 11 ms as it is).</li>
     * </ul>
     */
    Moves moveForward(Handle handle, OrderStatus status, List<Move> moves) {
        Map<String, Move> byOrder = new LinkedHashMap<>(); // one step per order and status, as the positions need
        moves.forEach(move -> byOrder.putIfAbsent(move.orderId(), move));
        List<Move> distinct = List.copyOf(byOrder.values());
        Moves outcome = new Moves(new HashSet<>(), new HashSet<>());
        handle.createQuery("""
                        WITH m AS (
                            SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:ats AS timestamptz[]), CAST(:changedBy AS text[]),
                                                 CAST(:reasons AS text[])) AS m (order_id, at, changed_by, reason)),
                        moved AS (
                            UPDATE orders SET status = :status,
                                   updated_at = (SELECT CAST(:ats AS timestamptz[]))[array_position((SELECT CAST(:ids AS text[])), order_id)]
                            WHERE order_id = ANY (:ids) AND status <> ALL (:notFrom)
                            RETURNING order_id),
                        passed AS (
                            SELECT order_id FROM orders WHERE order_id = ANY (:ids) AND status <> ALL (:notPassing)),
                        recorded AS (
                            INSERT INTO order_status_history (order_id, status, changed_at, changed_by, reason)
                            SELECT order_id, :status, at, changed_by, reason FROM m
                            WHERE order_id IN (SELECT order_id FROM moved UNION ALL SELECT order_id FROM passed))
                        SELECT order_id, true AS moved FROM moved UNION ALL SELECT order_id, false FROM passed""")
                .bind("status", status.name())
                .bind("notFrom", SqlArrays.text(OrderStatus.notBefore(status)))
                .bind("notPassing", SqlArrays.text(OrderStatus.notPassing(status)))
                .bind("ids", SqlArrays.text(distinct.stream().map(Move::orderId).toList()))
                .bind("ats", SqlArrays.text(distinct.stream().map(move -> move.at().toString()).toList()))
                .bind("changedBy", SqlArrays.text(distinct.stream().map(Move::changedBy).toList()))
                .bind("reasons", SqlArrays.text(distinct.stream().map(Move::reason).toList()))
                .map((rs, ctx) -> (rs.getBoolean("moved") ? outcome.moved() : outcome.passed()).add(rs.getString("order_id")))
                .list();
        return outcome;
    }

    /** What {@link #moveForward} did: the orders it moved, and those whose late step it recorded. */
    record Moves(Set<String> moved, Set<String> passed) {
        /** Neither moved nor recorded late: not seen (not known yet), at that status already, or cancelled or rejected. */
        boolean touchedNothing() {
            return moved.isEmpty() && passed.isEmpty();
        }
    }

    /** Carrier, tracking number and delivery date of shipped orders, in one statement, by primary key (see moveForward). */
    void recordShipments(Handle handle, List<Shipment> shipments) {
        handle.createUpdate("""
                        UPDATE orders o SET carrier = s.carrier, tracking_number = s.tracking_number, estimated_delivery = s.estimated_delivery
                        FROM unnest(CAST(:ids AS text[]), CAST(:carriers AS text[]), CAST(:trackingNumbers AS text[]),
                                    CAST(:estimatedDeliveries AS date[])) AS s (order_id, carrier, tracking_number, estimated_delivery)
                        WHERE o.order_id = s.order_id AND o.order_id = ANY (CAST(:ids AS text[]))""")
                .bind("ids", SqlArrays.text(shipments.stream().map(Shipment::orderId).toList()))
                .bind("carriers", SqlArrays.text(shipments.stream().map(Shipment::carrier).toList()))
                .bind("trackingNumbers", SqlArrays.text(shipments.stream().map(Shipment::trackingNumber).toList()))
                .bind("estimatedDeliveries", SqlArrays.text(shipments.stream()
                        .map(shipment -> shipment.estimatedDelivery() == null ? null : shipment.estimatedDelivery().toString()).toList()))
                .execute();
    }

    /** Records a cancellation request; false when one was recorded before. */
    boolean requestCancellation(Handle handle, String orderId, String reason, Instant at) {
        return handle.createUpdate("""
                        UPDATE orders SET cancel_requested_at = :at, cancel_reason = :reason
                        WHERE order_id = :orderId AND cancel_requested_at IS NULL""")
                .bind("orderId", orderId).bind("reason", reason).bind("at", at).execute() == 1;
    }

    String customerOf(Handle handle, String orderId) {
        return handle.createQuery("SELECT customer_id FROM orders WHERE order_id = :orderId").bind("orderId", orderId).mapTo(String.class).one();
    }

    private static List<String> column(List<NewOrder> orders, Function<NewOrder, String> value) {
        return orders.stream().map(value).toList();
    }

    /** An order's line as stored: its items are numbered from 1. */
    private record ItemRow(String orderId, int line, OrderView.Item item) {
        static List<ItemRow> of(NewOrder order) {
            return IntStream.range(0, order.items().size()).mapToObj(index -> new ItemRow(order.orderId(), index + 1, order.items().get(index)))
                    .toList();
        }
    }

    /** One order's step to a status: when, by whom, why. */
    record Move(String orderId, Instant at, String changedBy, String reason) {
    }

    /** What svc-shipper said of a shipped order. */
    record Shipment(String orderId, String carrier, String trackingNumber, LocalDate estimatedDelivery) {
    }
}

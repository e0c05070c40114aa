package org.orderflow.shipper.shipment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.messaging.sql.SqlArrays;

/**
 * svc-shipper's tables: shipments, and the cancellations that keep an order from shipping. Rows are mapped by the
 * mappers {@link #registerMappers} registers once with the service's Jdbi.
 */
final class ShipmentRepository {

    static void registerMappers(Jdbi jdbi) {
        jdbi.registerRowMapper(ShipmentView.class, (rs, ctx) -> new ShipmentView(rs.getString("order_id"), rs.getString("customer_id"),
                rs.getString("carrier"), rs.getString("tracking_number"), rs.getObject("estimated_delivery", LocalDate.class),
                rs.getObject("shipped_at", OffsetDateTime.class).toInstant()));
    }

    /** Shipping and cancelling one order take turns: transaction-scoped locks, taken in one order so batches cannot deadlock. */
    void lockOrders(Handle handle, List<String> orderIds) {
        handle.createQuery("""
                        SELECT count(pg_advisory_xact_lock(lock_key))
                        FROM (SELECT DISTINCT hashtextextended(order_id, 0) AS lock_key FROM unnest(CAST(:orderIds AS text[])) AS order_id
                              ORDER BY lock_key) AS keys""")
                .bind("orderIds", SqlArrays.text(orderIds)).mapTo(Long.class).one();
    }

    Set<String> cancelledAmong(Handle handle, List<String> orderIds) {
        return new HashSet<>(handle.createQuery("SELECT order_id FROM cancellations WHERE order_id = ANY (:orderIds)")
                .bind("orderIds", SqlArrays.text(orderIds)).mapTo(String.class).list());
    }

    /** Inserts the shipments not there yet; returns their order ids. */
    Set<String> insert(Handle handle, Collection<OrderShipped> shipments) {
        if (shipments.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(handle.createQuery("""
                        INSERT INTO shipments (order_id, customer_id, carrier, tracking_number, estimated_delivery, shipped_at)
                        SELECT * FROM unnest(CAST(:orderIds AS text[]), CAST(:customerIds AS text[]), CAST(:carriers AS text[]),
                                             CAST(:trackingNumbers AS text[]), CAST(:estimatedDeliveries AS date[]),
                                             CAST(:shippedAts AS timestamptz[]))
                        ON CONFLICT (order_id) DO NOTHING
                        RETURNING order_id""")
                .bind("orderIds", SqlArrays.text(shipments.stream().map(OrderShipped::orderId).toList()))
                .bind("customerIds", SqlArrays.text(shipments.stream().map(OrderShipped::customerId).toList()))
                .bind("carriers", SqlArrays.text(shipments.stream().map(OrderShipped::carrier).toList()))
                .bind("trackingNumbers", SqlArrays.text(shipments.stream().map(OrderShipped::trackingNumber).toList()))
                .bind("estimatedDeliveries", SqlArrays.text(shipments.stream().map(s -> s.estimatedDelivery().toString()).toList()))
                .bind("shippedAts", SqlArrays.text(shipments.stream().map(s -> s.timestamp().toString()).toList()))
                .mapTo(String.class)
                .list());
    }

    /** False when the order was cancelled before. */
    boolean recordCancellation(Handle handle, String orderId, String reason, String cancelledBy, Instant at) {
        return handle.createUpdate("""
                        INSERT INTO cancellations (order_id, reason, cancelled_by, cancelled_at) VALUES (:orderId, :reason, :by, :at)
                        ON CONFLICT (order_id) DO NOTHING""")
                .bind("orderId", orderId).bind("reason", reason).bind("by", cancelledBy).bind("at", at).execute() == 1;
    }

    Optional<ShipmentView> find(Handle handle, String orderId) {
        return handle.createQuery("""
                        SELECT order_id, customer_id, carrier, tracking_number, estimated_delivery, shipped_at FROM shipments
                        WHERE order_id = :orderId""")
                .bind("orderId", orderId)
                .mapTo(ShipmentView.class)
                .findOne();
    }
}

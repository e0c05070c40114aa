package org.orderflow.order.orders;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads orders as the API shows them: one with its items and history, or a page of them. Rows are mapped by the
 * mappers {@link #registerMappers} registers once with the service's Jdbi, by column name.
 */
final class OrderViews {

    static void registerMappers(Jdbi jdbi) {
        jdbi.registerRowMapper(OrderView.Item.class, (rs, ctx) -> new OrderView.Item(rs.getString("product_id"), rs.getString("name"),
                rs.getInt("quantity"), rs.getBigDecimal("price")));
        jdbi.registerRowMapper(OrderView.StatusChange.class, (rs, ctx) -> new OrderView.StatusChange(rs.getString("status"),
                instant(rs, "changed_at"), rs.getString("changed_by"), rs.getString("reason")));
        jdbi.registerRowMapper(Row.class, (rs, ctx) -> new Row(rs.getLong("seq"), new OrderView.Summary(rs.getString("order_id"),
                rs.getString("customer_id"), rs.getString("status"), rs.getBigDecimal("total"), rs.getString("currency"),
                instant(rs, "created_at"))));
    }

    Optional<OrderView> find(Handle handle, String orderId) {
        return handle.createQuery("""
                        SELECT order_id, customer_id, status, total, currency, carrier, tracking_number, estimated_delivery,
                               cancel_requested_at, cancel_reason, created_at, updated_at
                        FROM orders WHERE order_id = :orderId""")
                .bind("orderId", orderId)
                .map((rs, ctx) -> new OrderView(rs.getString("order_id"), rs.getString("customer_id"), rs.getString("status"),
                        rs.getBigDecimal("total"), rs.getString("currency"), items(handle, orderId), history(handle, orderId),
                        rs.getString("carrier"), rs.getString("tracking_number"),
                        rs.getObject("estimated_delivery", LocalDate.class),
                        OrderView.Cancellation.of(instant(rs, "cancel_requested_at"), rs.getString("cancel_reason"),
                                rs.getString("status")),
                        instant(rs, "created_at"), instant(rs, "updated_at")))
                .findOne();
    }

    /** Newest first; {@code beforeSeq} is the cursor (exclusive), empty for the first page. */
    List<Row> list(Handle handle, Optional<String> customerId, Optional<OrderStatus> status, Optional<Long> beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT seq, order_id, customer_id, status, total, currency, created_at FROM orders WHERE true");
        customerId.ifPresent(id -> sql.append(" AND customer_id = :customerId"));
        // An unfinished status is looked up among the orders on their way (their partial index, see V3), however old.
        status.ifPresent(s -> sql.append(s.isTerminal() ? " AND status = :status" : " AND status = :status AND in_flight"));
        beforeSeq.ifPresent(seq -> sql.append(" AND seq < :beforeSeq"));
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        Query query = handle.createQuery(sql.toString()).bind("limit", limit);
        customerId.ifPresent(id -> query.bind("customerId", id));
        status.ifPresent(s -> query.bind("status", s.name()));
        beforeSeq.ifPresent(seq -> query.bind("beforeSeq", seq));
        return query.mapTo(Row.class).list();
    }

    private static List<OrderView.Item> items(Handle handle, String orderId) {
        return handle.createQuery("SELECT product_id, name, quantity, price FROM order_items WHERE order_id = :orderId ORDER BY line")
                .bind("orderId", orderId)
                .mapTo(OrderView.Item.class)
                .list();
    }

    static List<OrderView.StatusChange> history(Handle handle, String orderId) {
        return handle.createQuery("""
                        SELECT status, changed_at, changed_by, reason FROM order_status_history
                        WHERE order_id = :orderId ORDER BY %s, changed_at, ctid""".formatted(OrderStatus.stageOf("status")))
                .bind("orderId", orderId)
                .mapTo(OrderView.StatusChange.class)
                .list();
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A listed order with its position for the cursor. */
    record Row(long seq, OrderView.Summary summary) {
    }
}

package org.orderflow.order.ops;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.Input;

/**
 * {@code GET /admin/stuck-orders}: orders not final (SHIPPED, CANCELLED, REJECTED) longer than {@code older_than_seconds}
 * after they were placed, counted by status and listed oldest first, each with the service it waits for; what
 * `orderflow orders stuck` prints, for the operations page. Both read the partial index of the orders in flight
 * (V3__status_changes_in_place.sql), so that a page refreshing it does not scan the finished orders.
 */
final class StuckOrders {
    private static final int DEFAULT_OLDER_THAN_SECONDS = 300;
    private static final int MAX_OLDER_THAN_SECONDS = 30 * 24 * 3600;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    /** Who an order in a status waits for. */
    private static final Map<String, String> WAITING_FOR = Map.of(
            "RECEIVED", "svc-inventory (reservation), or svc-order's outbox if OrderReceived is not published",
            "CONFIRMED", "svc-warehouse (pick and pack)",
            "PICKED_AND_PACKED", "svc-shipper (shipment)");

    private final Jdbi jdbi;

    StuckOrders(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void register(ApiRoutes operator) {
        operator.get("/admin/stuck-orders", this::list);
    }

    /** @param orders every stuck order, of which {@code listed} are listed */
    record Report(int olderThanSeconds, long orders, List<StatusCount> byStatus, List<StuckOrder> listed) {
    }

    record StatusCount(String status, long orders, Instant oldest, String waitingFor) {
    }

    record StuckOrder(String orderId, String customerId, String status, Instant placedAt, String waitingFor) {
    }

    private void list(Context ctx) {
        int olderThan = Input.queryNumber(ctx, "older_than_seconds", DEFAULT_OLDER_THAN_SECONDS, MAX_OLDER_THAN_SECONDS);
        int limit = Input.queryNumber(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT);
        // One snapshot and one now() for both reads, so that the counts and the list agree.
        ctx.json(jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            List<StatusCount> byStatus = handle.createQuery("""
                            SELECT status, count(*), min(created_at) FROM orders
                            WHERE in_flight AND created_at < now() - make_interval(secs => :seconds)
                            GROUP BY status ORDER BY min(created_at)""")
                    .bind("seconds", (double) olderThan)
                    .map((rs, c) -> new StatusCount(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                            WAITING_FOR.getOrDefault(rs.getString(1), "?")))
                    .list();
            List<StuckOrder> listed = handle.createQuery("""
                            SELECT order_id, customer_id, status, created_at, cancel_requested_at IS NOT NULL FROM orders
                            WHERE in_flight AND created_at < now() - make_interval(secs => :seconds)
                            ORDER BY created_at LIMIT :limit""")
                    .bind("seconds", (double) olderThan)
                    .bind("limit", limit)
                    .map((rs, c) -> new StuckOrder(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getBoolean(5) ? "svc-shipper (cancellation decision)" : WAITING_FOR.getOrDefault(rs.getString(3), "?")))
                    .list();
            return new Report(olderThan, byStatus.stream().mapToLong(StatusCount::orders).sum(), byStatus, listed);
        }));
    }
}

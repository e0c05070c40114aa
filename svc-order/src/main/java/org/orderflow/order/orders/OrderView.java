package org.orderflow.order.orders;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** An order as GET /orders/{id} shows it: items, status, status history, and tracking once shipped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OrderView(String orderId, String customerId, String status, BigDecimal total, String currency, List<Item> items,
                 List<StatusChange> statusHistory, String carrier, String trackingNumber, LocalDate estimatedDelivery,
                 Cancellation cancellation, Instant createdAt, Instant updatedAt) {

    /**
     * A cancellation request and what became of it: PENDING until svc-shipper decides, then CANCELLED, or TOO_LATE
     * when the order had shipped.
     */
    record Cancellation(Instant requestedAt, String reason, String outcome) {
        static Cancellation of(Instant requestedAt, String reason, String status) {
            if (requestedAt == null) {
                return null;
            }
            String outcome = switch (status) {
                case "CANCELLED" -> "CANCELLED";
                case "SHIPPED" -> "TOO_LATE";
                default -> "PENDING";
            };
            return new Cancellation(requestedAt, reason, outcome);
        }
    }

    /** The answer to POST /orders/{id}/cancel: the order's status now and the request's outcome so far. */
    record CancellationAnswer(String orderId, String status, Cancellation cancellation) {
    }

    /** One line of the order. */
    record Item(String productId, String name, int quantity, BigDecimal price) {
    }

    /** One step of the order's history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusChange(String status, Instant changedAt, String changedBy, String reason) {
    }

    /** A line of GET /orders. */
    record Summary(String orderId, String customerId, String status, BigDecimal total, String currency, Instant createdAt) {
    }

    /** A page of GET /orders; {@code nextCursor} is null on the last page. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Page(List<Summary> orders, String nextCursor) {
    }
}

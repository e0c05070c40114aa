package org.orderflow.order.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A new order to store ({@link OrderRepository#insertAll}), with its first status and who set it. */
record NewOrder(String orderId, String customerId, OrderStatus status, BigDecimal total, String currency, String source,
                List<OrderView.Item> items, Instant at, String changedBy) {

    /** The order as {@link OrderViews#find} reads it back right after it is inserted, without the round trips. */
    OrderView view() {
        return new OrderView(orderId, customerId, status.name(), total, currency, items,
                List.of(new OrderView.StatusChange(status.name(), at, changedBy, null)), null, null, null, null, at, at);
    }
}

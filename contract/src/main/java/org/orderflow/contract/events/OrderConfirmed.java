package org.orderflow.contract.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Stock is reserved for every item. Schema: schemas/OrderConfirmed.schema.json. */
public record OrderConfirmed(String orderId, String customerId, List<LineItem> items, BigDecimal total, Instant timestamp) {
    public static final String TYPE = "OrderConfirmed";
}

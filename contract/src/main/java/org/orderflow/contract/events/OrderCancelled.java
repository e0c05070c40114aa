package org.orderflow.contract.events;

import java.time.Instant;

/**
 * The order is cancelled, for good: decided by svc-shipper (a customer's request that came before shipping) or by
 * svc-warehouse (a pick that failed). Stock is released on this event, never on the request.
 * Schema: schemas/OrderCancelled.schema.json.
 */
public record OrderCancelled(String orderId, String customerId, String reason, String cancelledBy, Instant timestamp) {
    public static final String TYPE = "OrderCancelled";
}

package org.orderflow.contract.events;

import java.time.Instant;

/**
 * The customer asked to cancel: a request, not yet a cancellation. It travels on the OrderCancelled topic (so it
 * stays in order with the order's other cancellation events) to svc-shipper, which alone can say whether the order
 * shipped first; the answer is an {@link OrderCancelled}, or a "too late" notification.
 * Schema: schemas/OrderCancellationRequested.schema.json.
 */
public record OrderCancellationRequested(String orderId, String customerId, String reason, String requestedBy, Instant timestamp) {
    public static final String TYPE = "OrderCancellationRequested";
}

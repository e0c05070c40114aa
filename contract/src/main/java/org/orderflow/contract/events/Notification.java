package org.orderflow.contract.events;

import java.time.Instant;

/** Something to tell the customer. Schema: schemas/Notification.schema.json. */
public record Notification(String orderId, String customerId, Kind kind, String message, Instant timestamp) {
    public static final String TYPE = "Notification";

    /** What happened, so that a channel can pick a template. */
    public enum Kind {
        ORDER_RECEIVED, ORDER_CONFIRMED, ORDER_REJECTED, ORDER_PICKED_AND_PACKED, ORDER_SHIPPED, ORDER_CANCELLED, CANCELLATION_TOO_LATE
    }
}

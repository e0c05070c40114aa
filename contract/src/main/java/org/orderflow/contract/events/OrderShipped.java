package org.orderflow.contract.events;

import java.time.Instant;
import java.time.LocalDate;

/** The order left with a carrier. Schema: schemas/OrderShipped.schema.json. */
public record OrderShipped(String orderId, String customerId, String carrier, String trackingNumber, LocalDate estimatedDelivery,
                           Instant timestamp) {
    public static final String TYPE = "OrderShipped";
}

package org.orderflow.shipper.shipment;

import java.time.Instant;
import java.time.LocalDate;

/** A shipment as GET /shipments/{order_id} shows it. */
record ShipmentView(String orderId, String customerId, String carrier, String trackingNumber, LocalDate estimatedDelivery, Instant shippedAt) {
}

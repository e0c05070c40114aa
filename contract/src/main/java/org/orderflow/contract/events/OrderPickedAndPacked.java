package org.orderflow.contract.events;

import java.time.Instant;
import java.util.List;

/** The warehouse picked and packed the order. Schema: schemas/OrderPickedAndPacked.schema.json. */
public record OrderPickedAndPacked(String orderId, String customerId, List<LineItem> items, Instant timestamp) {
    public static final String TYPE = "OrderPickedAndPacked";
}

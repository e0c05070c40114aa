package org.orderflow.contract.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The order cannot be fulfilled; nothing is reserved. Schema: schemas/OrderRejected.schema.json. */
public record OrderRejected(String orderId, String customerId, List<Reason> reasons, Instant timestamp) {
    public static final String TYPE = "OrderRejected";

    /** Why one item cannot be had: OUT_OF_STOCK (with requested and available), UNKNOWN_PRODUCT, CANCELLED. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(String productId, String reason, Integer requested, Integer available) {
    }
}

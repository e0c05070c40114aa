package org.orderflow.warehouse.fulfilment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A fulfilment as GET /fulfilments/{order_id} shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FulfilmentView(String orderId, String customerId, FulfilmentStatus status, JsonNode items, Instant createdAt, Instant packedAt, String reason) {
}

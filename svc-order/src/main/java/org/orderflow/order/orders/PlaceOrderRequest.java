package org.orderflow.order.orders;

import java.math.BigDecimal;
import java.util.List;

/** The body of POST /orders. Fields are nullable here so that validation can name every missing one. */
record PlaceOrderRequest(String customerId, String currency, List<Item> items) {

    /** One line of the order as the client sends it. */
    record Item(String productId, String name, Integer quantity, BigDecimal price) {
    }
}

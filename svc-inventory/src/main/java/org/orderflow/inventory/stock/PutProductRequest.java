package org.orderflow.inventory.stock;

import java.math.BigDecimal;

/** The body of PUT /products/{id}: name and price are needed to create a product; on_hand sets its stock. */
record PutProductRequest(String name, BigDecimal price, Integer onHand) {
}

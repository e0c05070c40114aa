package org.orderflow.inventory.stock;

import java.math.BigDecimal;

/** A product and its stock: {@code available = on_hand - reserved}. */
record ProductView(String productId, String name, BigDecimal price, int onHand, int reserved, int available) {
}

package org.orderflow.contract.events;

import java.math.BigDecimal;

/** One line of an order: {@code name} and {@code price} may be absent downstream of OrderReceived. */
public record LineItem(String productId, String name, int quantity, BigDecimal price) {
}
